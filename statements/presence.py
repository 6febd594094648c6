"""Who has a paper open in the editor right now (no websocket: the editor polls).

Each poll records the editor's presence in the cache under its own key with a time to
live (PRESENCE_SECONDS, a few polls long), so nobody's write can drop anybody else's
and a closed tab is forgotten by itself. Only the paper's authors may edit, so only
their keys are read back (one cache round trip); names come from the loaded paper,
never from the cache, so a removed co-author disappears at once.

The poll also says whether the revision the editor started from is still the current
one: if not, the editor is warned before typing on (saving would merge, see
statements/merge.py).
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache

from statements.models import Statement
from statements.panels import authors
from statements.permissions import author_ids

logger = logging.getLogger(__name__)

POLL_SECONDS = 15
PRESENCE_SECONDS = 45


def _key(statement_id: int, user_id: int) -> str:
    return f"presence:v1:{statement_id}:{user_id}"


def presence_record(*, statement: Statement, user: Any, now: float | None = None) -> None:
    """Note that `user` has the editor of `statement` open (until PRESENCE_SECONDS pass)."""
    try:
        cache.set(_key(statement.pk, user.pk), now or time.time(), PRESENCE_SECONDS)
    except Exception:
        logger.warning("presence: cache unavailable", exc_info=True)


def others_editing(*, statement: Statement, user: Any, now: float | None = None) -> list[str]:
    """Display names of the other authors whose editor polled within PRESENCE_SECONDS."""
    now = now or time.time()
    others = author_ids(statement) - {user.pk}
    if not others:
        return []
    try:
        seen = cache.get_many([_key(statement.pk, pk) for pk in others])
    except Exception:
        logger.warning("presence: cache unavailable", exc_info=True)
        return []
    fresh = {
        pk for pk in others if now - float(seen.get(_key(statement.pk, pk), 0)) <= PRESENCE_SECONDS
    }
    return sorted(
        (person.display_name for person in authors(statement) if person.pk in fresh),
        key=str.casefold,
    )


@dataclass(frozen=True)
class EditorStatus:
    others: list[str]
    current_number: int | None
    current_author: str
    stale: bool  # the editor's base is no longer the current revision

    @property
    def fingerprint(self) -> str:
        """Changes whenever what the editor shows would change (the poll answers 204 else)."""
        raw = "\n".join([*self.others, str(self.current_number), str(self.stale)])
        return hashlib.sha256(raw.encode()).hexdigest()[:16]


def editor_status(*, statement: Statement, user: Any, base_revision_id: int | None) -> EditorStatus:
    revision = statement.current_revision
    stale = (
        revision is not None and base_revision_id is not None and revision.pk != base_revision_id
    )
    author = ""
    if stale and revision.author_id:
        author = next(
            (p.display_name for p in authors(statement) if p.pk == revision.author_id), ""
        )
    return EditorStatus(
        others=others_editing(statement=statement, user=user),
        current_number=revision.number if revision else None,
        current_author=author,
        stale=stale,
    )
