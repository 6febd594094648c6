"""Anonymous public pages read from a streaming replica (DATABASE_REPLICA_URL), when set.

What goes to the replica is deliberately narrow: only reads made while an anonymous
visitor's GET or HEAD of one of settings.RTM_REPLICA_VIEWS (the public reading pages,
feeds, API and sitemap) is answered. Everything else reads and writes on the primary
("default"): members, coordinators, every POST, Celery tasks, management commands,
migrations, any query inside a transaction, and every read of a request after it wrote.

Replica lag: the replica is asked only at the first query of such a request (a cached
page makes no query and costs nothing), and only used if it has replayed everything
the primary had written at that moment (`pg_last_wal_replay_lsn()` on the replica at or
past `pg_current_wal_lsn()` on the primary; two trivial queries, no table read on the
primary). Otherwise the request reads the primary. So a page rendered from the replica
is never older than the moment of its first query, and it is never older than the
public generation the page cache keys it by (public/cache.py reads the generation
before the view queries): a page cannot be stored stale under a new generation.
While the replica does not answer, the primary serves for RETRY_AFTER_SECONDS before
the replica is tried again (one failed connection per process, not one per request).
"""

from __future__ import annotations

import contextvars
import logging
import time
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
RETRY_AFTER_SECONDS = 10.0

# Per request: None (not eligible), "pending" (eligible, replica not asked yet),
# "replica" or "default" (decided). A ContextVar so threads never share a decision.
_choice: contextvars.ContextVar[str | None] = contextvars.ContextVar("rtm_replica", default=None)
_down_until = 0.0


def configured() -> bool:
    return REPLICA in settings.DATABASES


def _replica_is_current() -> bool:
    """True if the replica has replayed everything the primary has written by now."""
    global _down_until
    if time.monotonic() < _down_until:
        return False
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()")
            primary = cursor.fetchone()[0]
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(
                "SELECT pg_is_in_recovery() AND pg_last_wal_replay_lsn() >= %s::pg_lsn",
                [primary],
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
