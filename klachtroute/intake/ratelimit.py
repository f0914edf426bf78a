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


def rate_limit_hit(*, scope: str, address: str, limit: int, window: int) -> RateLimitResult:
    """Count one attempt for `address`; allowed while at most `limit` in this window."""
    window = max(int(window), 1)
    now = int(time.time())
    bucket = now // window
    digest = hashlib.sha256(f"{scope}:{address}".encode()).hexdigest()[:32]
    key = f"klachtroute:ratelimit:{scope}:{digest}:{bucket}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired or evicted between add and incr
        cache.set(key, 1, timeout=window + 1)
        count = 1
    return RateLimitResult(
        allowed=count <= limit, count=count, retry_after=(bucket + 1) * window - now
    )


def public_form_attempt(request) -> RateLimitResult:
    """Count one POST to the public complaint form from this request's address."""
    return rate_limit_hit(
        scope="public-form",
        address=client_address(request),
        limit=settings.PUBLIC_FORM_RATE_LIMIT,
        window=settings.PUBLIC_FORM_RATE_WINDOW,
    )
