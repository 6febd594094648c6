"""This person's workflow steps for their personal data export (collected by accounts)."""

from __future__ import annotations

from typing import Any

from statements.export import readable, title_for
from workflow.models import AuditEntry


def user_data(user: Any) -> dict[str, Any]:
    entries = list(
        AuditEntry.objects.filter(actor=user)
        .select_related("statement")
        .order_by("created_at", "pk")
    )
    visible = readable(user, [entry.statement for entry in entries])
    steps = [
        {
            "statement": title_for(entry.statement, visible),
            "step": entry.transition,
            "from": entry.from_state,
            "to": entry.to_state,
            "note": entry.note,
            "at": entry.created_at.isoformat(),
        }
        for entry in entries
    ]
    return {"workflow_steps": steps}
