"""The reads pages and feeds share. Anything a visitor may get starts at
Meeting.objects.public(): members-only meetings never reach an anonymous page or feed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import is_member
from maillist.models import PostType
from maillist.selectors import archive_for
from meetings.models import (
    AgendaItem,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    RemarkKind,
    Rsvp,
)
from statements.models import Statement
from statements.permissions import can_view, prime_author_ids
from statements.states import State
from voting.models import Ballot

# How far back the meetings pages and feeds reach.
PAST_DAYS = 400


def meetings_visible_to(user: Any):
    qs = Meeting.objects.all() if is_member(user) else Meeting.objects.public()
    return qs.select_related("place", "place__host")


def next_public_meeting(now: dt.datetime | None = None) -> Meeting | None:
    """The home page's "Nächstes Treffen": the next public date that takes place."""
    return (
        Meeting.objects.public()
        .upcoming(now)
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("place")
        .first()
    )


def feed_meetings(user: Any | None = None) -> list[Meeting]:
    """Meetings for a calendar feed: the public ones, or all of them for a member.
    Cancelled ones stay in (STATUS:CANCELLED), so subscribed calendars drop them."""
    since = timezone.now() - dt.timedelta(days=PAST_DAYS)
    qs = Meeting.objects.all() if user is not None and is_member(user) else Meeting.objects.public()
    return list(qs.filter(starts_at__gte=since).select_related("place", "place__host"))


def rsvps_of(user: Any, meetings: list[Meeting]) -> dict[int, str]:
    if not is_member(user) or not meetings:
        return {}
    return dict(
        Rsvp.objects.filter(user=user, meeting__in=meetings).values_list("meeting_id", "answer")
    )


def rsvp_counts(meeting: Meeting) -> dict[str, int]:
    counts = {"yes": 0, "maybe": 0, "no": 0}
    for answer in meeting.rsvps.values_list("answer", flat=True):
        counts[answer] += 1
    return counts


def deadlines_for(user: Any) -> list[dict]:
    """Consultation and voting deadlines of the papers `user` may read (personal feed)."""
    found: list[dict] = []
    consulting = list(
        Statement.objects.filter(state=State.CONSULTATION, consultation_ends_at__isnull=False)
    )
    ballots = list(Ballot.objects.filter(closed_at__isnull=True).select_related("statement"))
    prime_author_ids(consulting + [b.statement for b in ballots])
    for statement in consulting:
        if can_view(user, statement):
            found.append(
                {
                    "uid": f"statement-{statement.pk}-consultation",
                    "summary": _("Ende der Konsultation: %(title)s") % {"title": statement.title},
                    "at": statement.consultation_ends_at,
                    "url": statement.get_absolute_url(),
                    "changed": statement.updated_at,
                }
            )
    for ballot in ballots:
        if can_view(user, ballot.statement):
            found.append(
                {
                    "uid": f"statement-{ballot.statement_id}-vote-{ballot.round}",
                    "summary": _("Abstimmungsfrist: %(title)s") % {"title": ballot.statement.title},
                    "at": ballot.closes_at,
                    "url": ballot.statement.get_absolute_url() + "#abstimmung",
                    "changed": ballot.opened_at,
                }
            )
    return found


def funding_deadlines_for(user: Any) -> list[dict]:
    """The application deadlines of the funding hints `user` may read (personal feed):
    the list archive's own rule (maillist.selectors.archive_for), so a hint never reaches
    a calendar its reader could not open. One query."""
    since = timezone.localdate() - dt.timedelta(days=PAST_DAYS)
    hints = (
        archive_for(user)
        .filter(post_type=PostType.FUNDING, deadline__isnull=False, deadline__gte=since)
        .order_by("deadline", "pk")
    )
    return [
        {
            "uid": f"funding-hint-{post.pk}",
            "summary": _("Antragsfrist: %(title)s") % {"title": post.title},
            "day": post.deadline,
            "url": post.get_absolute_url(),
            "details": ", ".join(p for p in (post.funder, post.programme, post.amount) if p),
            "changed": post.sent_at or post.created_at,
        }
        for post in hints
    ]


def open_minutes() -> list[Minutes]:
    """The coordination's list of minutes not yet approved, with how many objections and
    comments each has (one query): an objection must reach the next meeting."""
    return list(
        Minutes.objects.exclude(status=MinutesStatus.APPROVED)
        .select_related("meeting__place")
        .annotate(
            objection_count=Count("objections", filter=Q(objections__kind=RemarkKind.OBJECTION)),
            comment_count=Count("objections", filter=Q(objections__kind=RemarkKind.COMMENT)),
        )
        .order_by("meeting__starts_at")[:50]
    )


def agenda_for(user: Any, meeting: Meeting) -> list:
    """The agenda `user` may read: members see every accepted point (coordinators also the
    proposals); the public only points marked public, never an unpublished paper's."""
    items = AgendaItem.objects.filter(meeting=meeting).select_related("statement")
    if not is_member(user):
        return [
            item
            for item in items.filter(accepted=True, is_public=True)
            if item.statement is None or item.statement.is_public
        ]
    if getattr(user, "is_coordinator", False):
        return list(items)
    return [item for item in items if item.accepted or item.proposed_by_id == user.pk]


def papers_to_decide(meeting: Meeting) -> list:
    """Papers on the agenda whose vote is open: the room may decide them."""
    return list(
        Statement.objects.filter(
            agenda_items__meeting=meeting, state=State.VOTING, ballots__closed_at__isnull=True
        ).distinct()
    )
