"""Anonymous public pages read from a streaming replica (DATABASE_REPLICA_URL), when set.

What goes to the replica is deliberately narrow: only reads made while an anonymous
visitor's GET or HEAD of one of settings.RTM_REPLICA_VIEWS (the public reading pages,
feeds, API and sitemap) is answered. Everything else reads and writes on the primary
("default"): members, coordinators, every POST, Celery tasks, management commands,
migrations, any query inside a transaction, and every read of a request after it wrote.

Replica lag: every change the public sees bumps the public generation after its commit
(core/pagecache.py); just before that bump, the primary's WAL position is noted in the
cache (note_primary_position). A request reads the replica only if, at its first query,
the replica has replayed at least up to the noted position, i.e. every change the public
can see (one cache read and one query on the replica; a cached page makes no query and
costs nothing). Otherwise it reads the primary: the replica is behind on something
public, paused, or has lost its primary. Since public/cache.py reads the generation
before the view queries, and the position is noted before the generation moves, a page
rendered from the replica is never stored under a generation newer than its data.
Changes that do not bump the generation (comments, members' pages) never reach these
pages, so the replica may lag on them without harm. While the replica does not answer,
the primary serves for RETRY_AFTER_SECONDS before the replica is tried again (one failed
connection per process, not one per request).
"""

from __future__ import annotations

import contextvars
import logging
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
POSITION_KEY = "public:primary-lsn"
RETRY_AFTER_SECONDS = 10.0

# Per request: None (not eligible), "pending" (eligible, replica not asked yet),
# "replica" or "default" (decided). A ContextVar so threads never share a decision.
_choice: contextvars.ContextVar[str | None] = contextvars.ContextVar("rtm_replica", default=None)
_down_until = 0.0


def configured() -> bool:
    return REPLICA in settings.DATABASES


def note_primary_position() -> None:
    """Remember the primary's WAL position: called after a public change committed,
    before the public generation moves. Without a replica it does nothing.

    The insert position, not pg_current_wal_lsn() (written so far): a commit with
    synchronous_commit off (the outbox's) may end beyond what is written yet."""
    if not configured():
        return
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_insert_lsn()")
            cache.set(POSITION_KEY, str(cursor.fetchone()[0]), timeout=None)
    except Exception:  # the change is committed; without the note pages read the primary
        logger.warning("could not note the primary's position for the replica", exc_info=True)
        try:
            cache.delete(POSITION_KEY)
        except Exception:  # noqa: BLE001, S110 - the cache is down: nothing to read either
            pass


def _replica_is_current() -> bool:
    """True if the replica has replayed every change the public can see."""
    global _down_until
    if time.monotonic() < _down_until:
        return False
    try:
        required = cache.get(POSITION_KEY)
        if required is None:
            # A new or cleared cache: from now on. Until a change is noted, the primary's
            # present position is the bar.
            with connections["default"].cursor() as cursor:
                cursor.execute("SELECT pg_current_wal_insert_lsn()")
                required = str(cursor.fetchone()[0])
            cache.add(POSITION_KEY, required, timeout=None)
    except Exception:  # noqa: BLE001 - cache or primary trouble: the primary answers
        return False
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(
                "SELECT pg_is_in_recovery() AND pg_last_wal_replay_lsn() >= %s::pg_lsn",
                [required],
            )
            return bool(cursor.fetchone()[0])
    except DatabaseError:
        _down_until = time.monotonic() + RETRY_AFTER_SECONDS
        logger.warning("read replica unavailable; public pages read the primary", exc_info=True)
        try:
            connections[REPLICA].close()
        except DatabaseError:
            pass
        return False


class ReplicaRouter:
    """Reads of an eligible request go to the replica if it is current; all else to default."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        choice = _choice.get()
        if choice is None or choice == "default":
            return None
        if connections["default"].in_atomic_block:
            return None  # a transaction reads what it is about to write: the primary
        if choice == "pending":
            choice = REPLICA if _replica_is_current() else "default"
            _choice.set(choice)
        return REPLICA if choice == REPLICA else None

    def db_for_write(self, model: Any, **hints: Any) -> str:
        if _choice.get() is not None:
            _choice.set("default")  # after a write, this request reads its own writes
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the same data on both

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints):
        return db == "default"


class ReplicaReadsMiddleware:
    """Marks an anonymous visitor's GET of a public reading page as eligible (after
    AuthenticationMiddleware: reading the session itself happens on the primary)."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        token = _choice.set(None)
        try:
            return self.get_response(request)
        finally:
            _choice.reset(token)

    def process_view(self, request: Any, view_func: Any, view_args: Any, view_kwargs: Any):
        match = request.resolver_match
        if (
            request.method in ("GET", "HEAD")
            and match is not None
            and match.view_name in settings.RTM_REPLICA_VIEWS
            and not request.user.is_authenticated
        ):
            _choice.set("pending")
        return None


def used_replica() -> bool:
    """Whether the current request has read from the replica (for tests and logging)."""
    return _choice.get() == REPLICA
