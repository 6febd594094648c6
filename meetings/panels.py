"""The meetings' part of a paper's page: where the paper was on an agenda and where it
was decided by a show of hands, as entries of the paper's timeline that link back to
the meeting (and its minutes). public.statement_page puts them into the workflow
panel's timeline; public.views puts the public ones on the public reading page.

Two queries: the agenda points and the room decisions, each with its meeting.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.permissions import is_member
from meetings.models import AgendaItem, AgendaKind, MeetingStatus, MinutesStatus, RoomDecision
from statements.models import Statement


def _minutes_url(meeting: Any, *, public: bool) -> str:
    minutes = getattr(meeting, "minutes", None)
    if minutes is None:
        return ""
    if public and not (
        minutes.status == MinutesStatus.APPROVED
        and minutes.current_revision_id
        and minutes.current_revision.public_html
    ):
        return ""
    return reverse("meetings:minutes", kwargs={"pk": meeting.pk})


def meeting_timeline(statement: Statement, *, public: bool) -> list[dict[str, Any]]:
    """The paper's meetings, oldest first. `public`: only public meetings, only agenda
    points marked public and minutes whose public part is out (the visitor's view)."""
    items = (
        AgendaItem.objects.filter(statement=statement, accepted=True)
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .select_related("meeting__place", "meeting__minutes__current_revision")
    )
    decisions = RoomDecision.objects.filter(statement=statement).select_related(
        "meeting__place", "meeting__minutes__current_revision", "ballot"
    )
    if public:
        items = items.filter(meeting__is_public=True, is_public=True)
        decisions = decisions.filter(meeting__is_public=True)
    entries: list[dict[str, Any]] = []
    for item in items:
        meeting = item.meeting
        label = (
            _("Zur Bestätigung auf der Tagesordnung")
            if item.kind == AgendaKind.CONFIRMATION
            else _("Auf der Tagesordnung")
        )
        entries.append(
            {
                "at": meeting.starts_at,
                "label": label,
                "meeting": meeting,
                "meeting_label": _meeting_label(meeting),
                "url": meeting.get_absolute_url(),
                "minutes_url": _minutes_url(meeting, public=public),
                "note": "",
            }
        )
    for decision in decisions:
        meeting, ballot = decision.meeting, decision.ballot
        entries.append(
            {
                "at": decision.created_at,
                "label": _("Im Treffen entschieden"),
                "meeting": meeting,
                "meeting_label": _meeting_label(meeting),
                "url": meeting.get_absolute_url(),
                "minutes_url": _minutes_url(meeting, public=public),
                "note": _(
                    "%(outcome)s: %(yes)d ja, %(no)d nein, %(abstain)d Enthaltungen; "
                    "%(present)d anwesend"
                )
                % {
                    "outcome": ballot.get_outcome_display(),
                    "yes": ballot.count_yes,
                    "no": ballot.count_no,
                    "abstain": ballot.count_abstain,
                    "present": decision.present,
                },
            }
        )
    entries.sort(key=lambda e: e["at"])
    return entries


def _meeting_label(meeting: Any) -> str:
    return _("%(title)s am %(date)s in %(town)s") % {
        "title": meeting.display_title,
        "date": date_format(timezone.localtime(meeting.starts_at), "DATE_FORMAT"),
        "town": meeting.place.town,
    }


def panel_context(request: HttpRequest, statement: Statement) -> dict[str, Any]:
    """For the members' page: every meeting of the paper (members see all meetings)."""
    if not is_member(request.user):
        return {"meeting_timeline": []}
    return {"meeting_timeline": meeting_timeline(statement, public=False)}
