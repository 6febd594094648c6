"""The public generation: one number in the cache that names what the public sees.

public/cache.py stores pages under keys that contain it and derives ETag and
Last-Modified from it, so bumping it makes every cached public page and every
validator a browser holds stale at once. It lives in the bottom layer because the
services and admins of lower apps (accounts' organisation names, statements'
topics, workflow's publication) change what the public sees and must be able to
say so without importing the public app.
"""

from __future__ import annotations

import logging
import time

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

GENERATION_KEY = "public:generation"


class CacheDown(Exception):
    """The cache server did not answer: serve uncached rather than fail."""


def generation() -> int:
    """The current public generation (nanoseconds since the epoch of the last change)."""
    try:
        value = cache.get(GENERATION_KEY)
        if value is None:
            # A cleared or new cache: start from now, so validators never repeat old ones.
            cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
            value = cache.get(GENERATION_KEY) or time.time_ns()
    except Exception as error:  # any backend error means "no cache"
        raise CacheDown from error
    return int(value)


# The generation as this process last read it, for the early page cache only
# (public/middleware.py): a page published elsewhere reaches anonymous readers of this
# process at most RECENT_SECONDS later; a bump in this process forgets it at once.
RECENT_SECONDS = 1.0
_recent: tuple[int, float] | None = None


def recent_generation() -> int | None:
    """The generation read by this process less than RECENT_SECONDS ago, or None."""
    recent = _recent
    if recent is not None and time.monotonic() - recent[1] < RECENT_SECONDS:
        return recent[0]
    return None


def remember_generation(value: int) -> None:
    global _recent
    _recent = (int(value), time.monotonic())


def _bump() -> None:
    global _recent
    _recent = None
    try:
        old = cache.get(GENERATION_KEY) or 0
        cache.set(GENERATION_KEY, max(time.time_ns(), int(old) + 1), timeout=None)
    except Exception:  # publishing must not fail because the cache is down
        logger.exception("could not invalidate the public page cache")


def invalidate_public_pages() -> None:
    """Make every cached public page stale (safe to call inside a transaction).

    Bumped now and again after commit: between the two a concurrent request may
    have cached a page from the not yet committed state under the first bump.
    """
    _bump()
    transaction.on_commit(_bump)
