"""Audit entries for decisions about a paper that do not change its state.

Transitions write their own rows in workflow.services; other apps record their
decisions (co-signing and revoking in an organisation's name) through
audit_record(), so the paper's timeline shows them next to the transitions.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from statements.models import Statement
from workflow.models import AuditEntry
from workflow.spec import Decision

# The decisions other apps may record; the timeline names them by Decision's labels.
COSIGN = Decision.COSIGN
COSIGN_REVOKE = Decision.COSIGN_REVOKE
RECORDED_ACTIONS = frozenset({COSIGN, COSIGN_REVOKE})


def audit_record(*, statement: Statement, action: str, actor: Any, note: str = "") -> AuditEntry:
    """Write a same-state entry in `statement`'s trail, in the caller's transaction.

    The caller holds the statement's row lock, so the entry lands in the order the
    decisions were taken.
    """
    if action not in RECORDED_ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    return AuditEntry.objects.create(
        statement=statement,
        transition=action,
        from_state=statement.state,
        to_state=statement.state,
        actor=actor,
        note=note,
        created_at=timezone.now(),
    )
