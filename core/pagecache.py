"""The public generation: one number in the cache that names what the public sees.

public/cache.py stores pages under keys that contain it and derives ETag and
Last-Modified from it, so bumping it makes every cached public page and every
validator a browser holds stale at once. It lives in the bottom layer because the
services and admins of lower apps (accounts' organisation names, statements'
topics, workflow's publication) change what the public sees and must be able to
say so without importing the public app.
"""

from __future__ import annotations

import datetime as dt
import logging
import time

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from core.replica import note_primary_position

logger = logging.getLogger(__name__)

GENERATION_KEY = "public:generation"
# (generation, POSIX time): the moment a page of that generation goes out of date by
# itself, without any write (the home page's next meeting is over). See expire_public_pages_at.
EXPIRY_KEY = "public:generation:expires"


class CacheDown(Exception):
    """The cache server did not answer: serve uncached rather than fail."""


def generation() -> int:
    """The current public generation (nanoseconds since the epoch of the last change).

    One cache round trip reads the generation and its expiry; once the expiry has passed
    the generation is bumped here, so pages (and ETags) that depended on the clock are
    rendered anew.
    """
    try:
        found = cache.get_many([GENERATION_KEY, EXPIRY_KEY])
        value = found.get(GENERATION_KEY)
        if value is None:
            # A cleared or new cache: start from now, so validators never repeat old ones.
            cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
            value = cache.get(GENERATION_KEY) or time.time_ns()
        expiry = found.get(EXPIRY_KEY)
        if expiry and expiry[0] == int(value) and timezone.now().timestamp() >= expiry[1]:
            _bump()
            value = cache.get(GENERATION_KEY) or time.time_ns()
    except Exception as error:  # any backend error means "no cache"
        raise CacheDown from error
    return int(value)


def expire_public_pages_at(moment: dt.datetime) -> None:
    """Say, while rendering a public page, that what it shows is out of date at `moment`
    even if nothing is written (the next meeting on the home page has ended by then).

    Kept per generation, the earliest moment wins; a write that bumps the generation
    drops it (the next rendering says it again). A cache failure only logs.
    """
    try:
        gen = generation()
        at = moment.timestamp()
        current = cache.get(EXPIRY_KEY)
        if current and current[0] == gen and current[1] <= at:
            return
        cache.set(EXPIRY_KEY, (gen, at), timeout=None)
    except Exception:
        logger.warning("could not record when the public pages expire", exc_info=True)


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
    transaction.on_commit(_bump_after_commit)


def _bump_after_commit() -> None:
    # A read replica serves public pages only once it has replayed this far: noted
    # before the generation moves, so no page of the new generation can be older.
    note_primary_position()
    _bump()
