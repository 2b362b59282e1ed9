"""Plain error pages: never a stack trace, and a 503 when the database is unreachable."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.template import loader

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
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
