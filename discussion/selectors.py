"""Read queries about comments that other apps use (notifications)."""

from __future__ import annotations

from typing import Any


def thread_participant_ids(comment: Any) -> set[int]:
    """User ids of everyone who wrote in the thread of `comment` (top-level and replies)."""
    return set()
