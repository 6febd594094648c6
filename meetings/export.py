"""This person's meeting data for their personal data export (collected by accounts):
their answers, their check-ins, the topics they proposed and whether they have a
personal calendar address (never the secret itself)."""

from __future__ import annotations

from typing import Any

from meetings.models import AgendaItem, CalendarToken, Presence, Rsvp


def _when(meeting: Any) -> str:
    return meeting.starts_at.isoformat()


def user_data(user: Any) -> dict[str, Any]:
    return {
        "rsvps": [
            {"meeting": _when(r.meeting), "answer": r.answer, "at": r.answered_at.isoformat()}
            for r in Rsvp.objects.filter(user=user).select_related("meeting").order_by("pk")
        ],
        "present_at": [
            _when(p.meeting)
            for p in Presence.objects.filter(user=user).select_related("meeting").order_by("pk")
        ],
        "proposed_topics": [
            {"meeting": _when(i.meeting), "title": i.title, "note": i.note}
            for i in AgendaItem.objects.filter(proposed_by=user)
            .select_related("meeting")
            .order_by("pk")
        ],
        "has_calendar_address": CalendarToken.objects.filter(user=user).exists(),
    }
