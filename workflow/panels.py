"""Context for this app's panel on the statement page (see statements/panels.py).

Queries: the audit trail (one, actors joined), the author ids (one, cached on the
statement and shared with the other panels), plus, while a vote is open, the
ballot's deadline (one) and whatever the voting app's ballot_can_close condition needs.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from statements import permissions as perms
from statements.models import Statement
from statements.states import State
from workflow.forms import UrgentForm
from workflow.selectors import audit_trail, available_transitions, current_deadline, relative_time
from workflow.spec import AUDIT_LABELS_UNTIL, TRANSITIONS, Transition, audit_label


def _actor_name(entry: Any) -> str:
    if entry.actor is not None:
        return entry.actor.display_name or _("Mitglied")
    if entry.is_system:
        return _("System")
    return _("ehemaliges Mitglied")


def panel_context(request: HttpRequest, statement: Statement) -> dict[str, Any]:
    user = request.user
    if not perms.can_view_internal(user, statement):
        return {"workflow_panel": None}
    now = timezone.now()
    deadline = current_deadline(statement)
    entries = [
        {
            "label": audit_label(entry.transition, entry.scheduled_for),
            # A shortened deadline names its new end in the label itself.
            "scheduled_for": None
            if entry.transition in AUDIT_LABELS_UNTIL
            else entry.scheduled_for,
            "actor": _actor_name(entry),
            "is_system": entry.is_system,
            "at": entry.created_at,
            "from_state": entry.get_from_state_display(),
            "to_state": entry.get_to_state_display(),
            "state_changed": entry.from_state != entry.to_state,
            "note": entry.note,
        }
        for entry in audit_trail(statement)
    ]
    actions = [
        {
            "name": name,
            "label": name.label,
            "setback": TRANSITIONS[name].setback,
            "url": reverse("workflow:transition", kwargs={"slug": statement.slug, "name": name}),
        }
        for name in available_transitions(statement, user)
    ]
    hints = []
    if (
        statement.state == State.CONSULTATION
        and not perms.is_coordinator(user)
        and perms.is_author(user, statement)
        and not perms.consultation_over(statement)
        and statement.consultation_ends_at
    ):
        hints.append(_("Sie können die Abstimmung nach dem Ende der Konsultation eröffnen."))
    if (
        statement.state == State.VOTING
        and perms.can_close_vote(user, statement)
        and Transition.CLOSE_VOTE not in (a["name"] for a in actions)
    ):
        hints.append(
            _(
                "Vor Ablauf der Frist kann die Abstimmung erst geschlossen werden, wenn alle "
                "Stimmberechtigten abgestimmt haben."
            )
        )
    can_urgent = perms.can_mark_urgent(user, statement)
    return {
        "workflow_panel": {
            "state": statement.state,
            "state_label": statement.get_state_display(),
            "deadline": (
                {
                    "label": deadline[0],
                    "at": deadline[1],
                    "relative": relative_time(deadline[1], now),
                    "passed": deadline[1] <= now,
                }
                if deadline
                else None
            ),
            "is_urgent": statement.is_urgent,
            "urgent_reason": statement.urgent_reason,
            "entries": entries,
            "actions": actions,
            "hints": hints,
            "can_mark_urgent": can_urgent,
            "urgent_form": UrgentForm() if can_urgent and not statement.is_urgent else None,
            "urgent_url": reverse("workflow:urgent", kwargs={"slug": statement.slug}),
            "withdrawal_reason": statement.withdrawal_reason
            if statement.state == State.WITHDRAWN
            else "",
            "retraction_reason": statement.retraction_reason
            if statement.state == State.RETRACTED
            else "",
        }
    }
