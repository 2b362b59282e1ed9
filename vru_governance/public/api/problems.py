"""The API's errors as RFC 9457 problem details, and its strict query parameters.

Every answer of the API is JSON, errors included: a 400 for a malformed parameter, a 404 for
an unknown body, meeting or page, a 405 (with Allow) for any method but GET and HEAD, and a
500 for a fault; all as ``application/problem+json``, as /api/openapi.json documents.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

PROBLEM_JSON = "application/problem+json"
ALLOW = "GET, HEAD"
API_PREFIX = "/api/"

View = Callable[..., HttpResponse]


class BadParameter(ValueError):
    """A query parameter the API cannot read: answered 400."""


def problem(status: int, detail: str) -> JsonResponse:
    """An RFC 9457 problem; the type is about:blank, so the title is the status phrase."""
    response = JsonResponse(
        {
            "type": "about:blank",
            "title": HTTPStatus(status).phrase,
            "status": status,
            "detail": detail,
        },
        status=status,
        content_type=PROBLEM_JSON,
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def api_view(view: View) -> View:
    """GET and HEAD only; errors as problem+json; open to any origin (it is public data).

    CSRF-exempt because it never acts on any other method: a POST gets the API's own 405
    rather than the site's HTML CSRF refusal, and nothing is written either way.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            response = problem(405, f"The API is read-only: use {ALLOW}.")
            response["Allow"] = ALLOW
            return response
        try:
            response = view(request, *args, **kwargs)
        except BadParameter as exc:
            return problem(400, str(exc))
        except Http404 as exc:
            return problem(404, str(exc) or "Not found.")
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return csrf_exempt(wrapper)


def positive_int(
    request: HttpRequest, name: str, *, maximum: int | None = None, help: str = ""
) -> int | None:
    """The query parameter ``name`` as a whole number from 1 (to ``maximum``), or None when
    it is absent; anything else, an empty value included, is a BadParameter."""
    if name not in request.GET:
        return None
    raw = request.GET[name]
    # isascii: "²" and other Unicode digits pass isdigit() but are no number a reader typed.
    if not (raw.isascii() and raw.isdigit()):
        raise BadParameter(f"{name} must be a whole number{help}.")
    # Beyond 30 digits a number is only "too large"; int() of thousands of digits is slow.
    value = int(raw) if len(raw) <= 30 else 10**30
    if value < 1 or (maximum is not None and value > maximum):
        upper = f" to {maximum}" if maximum is not None else ""
        raise BadParameter(f"{name} must be from 1{upper}{help}.")
    return value
