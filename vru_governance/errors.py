"""Error pages with the site's chrome (never a stack trace), a 503 when the database is
unreachable, and problem+json instead of pages for the open-data API under /api/."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views import defaults

from vru_governance.public.api.problems import is_api, problem

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


def _unreachable(exc: BaseException) -> bool:
    """True for a lost or refused connection, not for a query the database rejected."""
    if isinstance(exc, InterfaceError):
        return True
    return isinstance(exc, OperationalError) and any(
        connection.connection is None or not connection.is_usable()
        for connection in connections.all(initialized_only=True)
    )


class DatabaseUnavailableMiddleware:
    """Answer 503 with a plain page (and Retry-After) when the database is down.

    The transaction of the request was rolled back by the database, so nothing was written
    half-way; Django drops the broken connection at the end of the request, and the next
    request connects afresh once the database is back.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not isinstance(exc, (DatabaseError, InterfaceError)) or not _unreachable(exc):
            return None
        logger.error("Database unreachable for %s %s: %s", request.method, request.path, exc)
        if is_api(request):
            response = problem(503, "The records are unavailable for a moment: try again.")
        else:
            response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400: the site's page, or a problem for the API."""
    if is_api(request):
        return problem(400, "The request could not be read.")
    return defaults.bad_request(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404: templates/404.html in the site's chrome, or a problem for the API."""
    if is_api(request):
        return problem(404, "No such address in the API: see /api/openapi.json.")
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: rendered without the request's context processors or the database (the
    fault may be theirs), so the page cannot fail in turn."""
    if is_api(request):
        return problem(500, "Something went wrong; nothing was changed.")
    return HttpResponse(loader.get_template("500.html").render(), status=500)
