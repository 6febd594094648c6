"""This person's workflow steps for their personal data export (collected by accounts)."""

from __future__ import annotations

from typing import Any

from workflow.models import AuditEntry


def user_data(user: Any) -> dict[str, Any]:
    steps = [
        {
            "statement": entry.statement.title,
            "step": entry.transition,
            "from": entry.from_state,
            "to": entry.to_state,
            "note": entry.note,
            "at": entry.created_at.isoformat(),
        }
        for entry in AuditEntry.objects.filter(actor=user)
        .select_related("statement")
        .order_by("created_at", "pk")
    ]
    return {"workflow_steps": steps}
