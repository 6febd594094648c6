"""Read-side helpers for the panel and the pages: what may this person do now."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_fsm import can_proceed

from statements.models import Statement
from statements.states import State
from voting.selectors import voting_deadline
from workflow.models import AuditEntry
from workflow.services import user_has_transition_perm
from workflow.spec import Transition


def available_transitions(statement: Statement, user: Any) -> list[Transition]:
    """Exactly the transitions `user` may take now (state, permission, conditions)."""
    names = []
    for name in Transition:
        method = getattr(statement, name)
        if not can_proceed(method, check_conditions=False):
            continue
        if user_has_transition_perm(statement, name, user) and can_proceed(method):
            names.append(name)
    return names


def audit_trail(statement: Statement) -> QuerySet[AuditEntry]:
    return (
        AuditEntry.objects.filter(statement=statement)
        .select_related("actor")
        .order_by("created_at", "pk")
    )


def current_deadline(statement: Statement) -> tuple[str, datetime] | None:
    """The deadline that matters in the current state, as (label, when)."""
    if statement.state == State.CONSULTATION and statement.consultation_ends_at:
        return _("Konsultation endet"), statement.consultation_ends_at
    if statement.state == State.VOTING:
        # One query: the open ballot's closes_at, the deadline beat and casting use too.
        ends = voting_deadline(statement)
        return (_("Abstimmung endet"), ends) if ends else None
    if statement.state == State.ACCEPTED and statement.publish_at:
        return _("Veröffentlichung geplant"), statement.publish_at
    return None


def relative_time(when: datetime, now: datetime | None = None) -> str:
    """'in 3 Tagen' / 'vor 2 Stunden', in the active language.

    Beyond a day, days are calendar days in the site's time zone (Europe/Berlin): a
    deadline 14 days ahead reads "in 14 Tagen" all day long, not "in 13 Tagen" a second
    after it was set (issue 16)."""
    now = now or timezone.now()
    seconds = int((when - now).total_seconds())
    future = seconds >= 0
    seconds = abs(seconds)
    if seconds < 60:
        return _("jetzt")
    hours, minutes = seconds // 3600, seconds // 60
    days = abs((timezone.localdate(when) - timezone.localdate(now)).days) if hours >= 24 else 0
    if days:
        if future:
            return ngettext("in %(n)d Tag", "in %(n)d Tagen", days) % {"n": days}
        return ngettext("vor %(n)d Tag", "vor %(n)d Tagen", days) % {"n": days}
    if hours:
        if future:
            return ngettext("in %(n)d Stunde", "in %(n)d Stunden", hours) % {"n": hours}
        return ngettext("vor %(n)d Stunde", "vor %(n)d Stunden", hours) % {"n": hours}
    if future:
        return ngettext("in %(n)d Minute", "in %(n)d Minuten", minutes) % {"n": minutes}
    return ngettext("vor %(n)d Minute", "vor %(n)d Minuten", minutes) % {"n": minutes}
