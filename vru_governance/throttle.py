"""Hourly allowances of requests that send an e-mail (password resets, alert requests),
counted in the shared cache so that every app server counts the same requests."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.http import HttpRequest

WINDOW_SECONDS = 3600


def spend(key: str, allowance: int, window: int = WINDOW_SECONDS) -> bool:
    """Count one request against `key`; False once the window's allowance is used up."""
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        count = 1
    return count <= allowance


def address_key(email: str) -> str:
    """An e-mail address as a throttle key: hashed, so the cache holds no address."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def client_of(request: HttpRequest) -> str:
    """The client's address: django-axes' middleware reads it behind the proxies
    (AXES_PROXY_COUNT)."""
    return getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR", "")
