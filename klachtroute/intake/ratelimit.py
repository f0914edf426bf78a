"""A fixed-window rate limit per client address for the public complaint form.

Counts live in Django's cache (key: a hash of the address and the current window), so no
address is written to the database. The default cache (LocMemCache) is per process: with
several web processes, configure a shared cache (CACHE_BACKEND / CACHE_LOCATION, for example
Django's database cache) or each process counts on its own.
"""

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True)
class RateLimitResult:
    allowed: bool
    count: int
    retry_after: int  # seconds until the current window ends


def client_address(request) -> str:
    """The address the request came from; behind a proxy, the proxy must set REMOTE_ADDR."""
    return request.META.get("REMOTE_ADDR") or "unknown"


def _window(scope: str, address: str, window: int) -> tuple[str, int, int, int]:
    window = max(int(window), 1)
    now = int(time.time())
    bucket = now // window
    digest = hashlib.sha256(f"{scope}:{address}".encode()).hexdigest()[:32]
    return f"klachtroute:ratelimit:{scope}:{digest}:{bucket}", window, (bucket + 1) * window, now


def rate_limit_check(*, scope: str, address: str, limit: int, window: int) -> RateLimitResult:
    """Whether `address` may make one more counted attempt in this window, without counting."""
    key, _window_seconds, ends, now = _window(scope, address, window)
    count = cache.get(key, 0)
    return RateLimitResult(allowed=count < limit, count=count, retry_after=ends - now)


def rate_limit_hit(*, scope: str, address: str, limit: int, window: int) -> RateLimitResult:
    """Count one attempt for `address`; allowed while at most `limit` in this window."""
    key, window, ends, now = _window(scope, address, window)
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired or evicted between add and incr
        cache.set(key, 1, timeout=window + 1)
        count = 1
    return RateLimitResult(allowed=count <= limit, count=count, retry_after=ends - now)


def _public_form(request) -> dict:
    return {
        "scope": "public-form",
        "address": client_address(request),
        "limit": settings.PUBLIC_FORM_RATE_LIMIT,
        "window": settings.PUBLIC_FORM_RATE_WINDOW,
    }


def public_form_allowed(request) -> RateLimitResult:
    """Whether this address may send one more complaint through the public form now. Only
    complaints that were accepted count (`public_form_accepted`): a person whose form
    came back with a question to answer is not held back by it."""
    return rate_limit_check(**_public_form(request))


def public_form_accepted(request) -> None:
    """Count one complaint accepted from this request's address."""
    rate_limit_hit(**_public_form(request))
