"""A cache of the public pages as anonymous readers see them, emptied by every change.

The day after a violent death in London thousands read the same meeting page; each reader
must not cost a dozen queries. Pages are cached whole, per URL, for readers who are not
signed in. Every write to the records (a model saved or deleted, any successful POST)
raises a shared generation number, and the generation is part of every key: a publication
on one app server is seen at once on all the others that share the cache (Redis in a
deployment, files under ``var/cache`` on one machine). The date is part of the key too,
since "upcoming" and "serving" change at midnight; entries also expire after
``PUBLIC_PAGE_CACHE_SECONDS``. A page missed by several readers at once (every popular page,
just after a publication) is made by the first; the others wait for it.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control

T = TypeVar("T")
GENERATION_KEY = "public-pages:generation"
# The apps whose records appear on public pages; a change to any of them empties the cache.
RECORD_APPS = {"members", "meetings", "actions", "reports"}
# Records of those apps no public page shows: the outbox and the readers' alerts. A reader
# asking for an alert must not empty the cache (nor can a flood of them).
NOT_SHOWN = {"meetings.MailDelivery", "meetings.AlertSubscription"}
# A reader who misses a page another reader is making waits for it this long at most,
# looking every FILL_POLL_SECONDS.
FILL_WAIT_SECONDS = 2.0
FILL_POLL_SECONDS = 0.005
# Response headers worth keeping with a cached page (middleware adds the security ones).
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Access-Control-Allow-Origin", "Allow")


def _cache():
    return caches[settings.PUBLIC_PAGE_CACHE]


def generation() -> int:
    """The current generation of the records (0 when the cache has never been emptied)."""
    return _cache().get(GENERATION_KEY) or 0


def kept_with_pages(name: str, make: Callable[[], T]) -> T:
    """What `make` returns, kept with the cached pages under the records' generation while
    pages are cached (what is the same for every reader until the records change: the
    search's filters, the annual report's digest); made each time when pages are not."""
    if settings.PUBLIC_PAGE_CACHE_SECONDS <= 0:
        return make()
    cache = _cache()
    # The generation is read first, as for a page: what was made before a publication was
    # committed is kept under the generation it replaces.
    key = f"public-kept:{generation()}:{name}"
    found = cache.get(key)
    if found is None:
        found = make()
        cache.set(key, found, settings.PUBLIC_PAGE_CACHE_SECONDS)
    return found


def invalidate() -> None:
    """Forget every cached page: the next reader of each page gets it fresh."""
    cache = _cache()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # No generation yet (or it was evicted): any new value will do.
        cache.set(GENERATION_KEY, int(timezone.now().timestamp() * 1000), timeout=None)


def _cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or settings.PUBLIC_PAGE_CACHE_SECONDS <= 0:
        return False
    # A session or a pending message means a page made for this reader, not for everyone.
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    return not request.user.is_authenticated


def _key(request: HttpRequest) -> str:
    # The host and scheme too: the open-data API writes absolute addresses.
    path = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    return f"public-pages:{generation()}:{timezone.localdate().isoformat()}:{path}"


def _made_meanwhile(cache: Any, key: str, filling: str) -> tuple | None:
    """The page another reader is making, once stored; None when they stopped without
    storing it (an error, a page not to keep) or took longer than FILL_WAIT_SECONDS."""
    deadline = time.monotonic() + FILL_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(FILL_POLL_SECONDS)
        stored = cache.get(key)
        if stored is not None:
            return stored
        if cache.get(filling) is None:
            return None
    return None


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve ``view`` from the shared cache to readers who are not signed in."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        cache = _cache()
        key = _key(request)
        stored = cache.get(key)
        filling = f"{key}:filling"
        making = stored is None and cache.add(filling, 1, FILL_WAIT_SECONDS + 1)
        if stored is None and not making:
            # Another reader is making this page (a publication emptied the cache, and every
            # reader of a popular page misses at once): wait for theirs instead of making it
            # again beside them, unless they give up or take too long.
            stored = _made_meanwhile(cache, key, filling)
        if stored is not None:
            status, headers, content = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response
        try:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if response.status_code == 200 and not response.streaming and not response.cookies:
                headers = [(name, response[name]) for name in KEPT_HEADERS if name in response]
                cache.set(
                    key,
                    (response.status_code, headers, response.content),
                    settings.PUBLIC_PAGE_CACHE_SECONDS,
                )
        finally:
            if making:
                cache.delete(filling)
        response["X-Page-Cache"] = "miss"
        return response

    return wrapper


class InvalidateOnWriteMiddleware:
    """Empty the page cache after a signed-in user's successful POST, PUT, PATCH or DELETE.

    Signals miss ``QuerySet.update()`` and raw SQL; a write through the site always comes
    from a signed-in user with one of these methods, so this catches what signals cannot.
    Anonymous posts (sign-in attempts) change no record and must not empty the cache.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.method not in ("GET", "HEAD", "OPTIONS")
            and response.status_code < 400
            and request.user.is_authenticated
        ):
            invalidate()
        return response


class PrivateForSignedInMiddleware:
    """Mark every page made for a signed-in reader `Cache-Control: private`.

    A partner's page shows exempt titles and circulated minutes; `Vary: Cookie` alone lets a
    shared cache (a proxy, a CDN) keep it for anyone sending the same cookie header. A
    response a view marked public (a published PDF) stays public: it is the same for all.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            cache_control = response.get("Cache-Control", "")
            if "public" not in cache_control and "private" not in cache_control:
                patch_cache_control(response, private=True)
        return response


def _invalidate_after_commit() -> None:
    invalidate()


def _on_record_change(sender, **kwargs) -> None:
    if sender._meta.app_label not in RECORD_APPS or sender._meta.label in NOT_SHOWN:
        return
    # After the commit, or a reader could cache the old page under the new generation;
    # once per transaction, however many records an import saves.
    pending = getattr(connection, "run_on_commit", [])
    if not any(entry[1] is _invalidate_after_commit for entry in pending):
        transaction.on_commit(_invalidate_after_commit)


def connect_signals() -> None:
    """Empty the page cache whenever a record is saved or deleted (imports, admin, shell)."""
    post_save.connect(_on_record_change, dispatch_uid="page-cache-save")
    post_delete.connect(_on_record_change, dispatch_uid="page-cache-delete")
