"""Ballots and votes. (Filled in by the voting work; these two are the workflow's contract.)"""

from __future__ import annotations

from typing import Any

from statements.models import Statement


def ballot_open(*, statement: Statement, opened_by: Any | None, options: dict[str, Any]) -> Any:
    """Called by workflow.services inside the open_vote transaction (row locked)."""
    return None


def ballot_close(*, statement: Statement) -> bool:
    """Count the open ballot, store its result, return whether the paper is adopted."""
    return True
