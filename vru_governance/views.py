"""Views of the project itself rather than of an app."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def health(request: HttpRequest) -> HttpResponse:
    """Answers "ok" for load balancers and as the floor of `make bench` (no database)."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
