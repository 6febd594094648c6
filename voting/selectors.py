"""Read queries about ballots that other pages share."""

from __future__ import annotations

from typing import Any


def ballots_waiting_for(user: Any) -> list[Any]:
    """Open ballots where `user` is eligible and has not voted yet, soonest deadline first."""
    return []


def eligible_voter_ids(ballot: Any) -> list[int]:
    """User ids fixed as eligible when the ballot opened."""
    return []


def eligible_non_voter_ids(ballot: Any) -> list[int]:
    """Eligible user ids that have not voted yet (for reminders)."""
    return []


def open_ballot_for(statement: Any) -> Any | None:
    """The statement's currently open ballot, if any."""
    return None


def ballot_can_close(statement: Any) -> bool:
    """True when the open ballot may be closed now: deadline passed or every eligible voter voted."""
    return True
