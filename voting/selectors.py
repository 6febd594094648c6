"""Read queries about ballots that other pages share."""

from __future__ import annotations

from typing import Any


def ballots_waiting_for(user: Any) -> list[Any]:
    """Open ballots where `user` is eligible and has not voted yet, soonest deadline first."""
    return []
