"""Demo meetings (idempotent, through the services): places across the district, two
past meetings (both with attendance and minutes, the older ones approved; the last one
with a decision taken in the room if a second paper is in voting) and the next three
monthly dates, the second Wednesday at 17:00."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from django.utils import timezone

from accounts.models import Organisation, User
from meetings import services
from meetings.models import Meeting, Minutes, Place, RoomDecision
from statements.markdown import blocks
from statements.models import Statement
from statements.services import TextFields, statement_create
from voting.rules import Counts
from workflow.services import statement_transition

PLACES = (
    ("Bürgerhaus Borna", "Borna", "Markt 1, 04552 Borna",
     "S-Bahn S6 bis Borna (Leipzig), dann 8 Minuten zu Fuß", True),
    ("Kulturhaus Grimma", "Grimma", "Leipziger Straße 10, 04668 Grimma",
     "RB 110 bis Grimma ob Bf, Bus 619 bis Markt", True),
    ("Rathaus Markkleeberg", "Markkleeberg", "Rathausplatz 1, 04416 Markkleeberg",
     "S-Bahn S3/S5 bis Markkleeberg, 5 Minuten zu Fuß", True),
    ("Begegnungsstätte Wurzen", "Wurzen", "Domplatz 5, 04808 Wurzen",
     "S-Bahn S3 bis Wurzen, 10 Minuten zu Fuß", False),
    ("Gemeindesaal Naunhof", "Naunhof", "Kirchstraße 3, 04683 Naunhof",
     "S-Bahn S3 bis Naunhof, 6 Minuten zu Fuß", True),
)  # fmt: skip


def _month(today: dt.date, offset: int) -> tuple[int, int]:
    index = today.year * 12 + today.month - 1 + offset
    return index // 12, index % 12 + 1


ROOM_PAPER = TextFields(
    title="Dolmetschpool für Behördengänge im Landkreis",
    occasion="Fehlende Sprachmittlung in Ausländerbehörde und Jobcenter",
    summary="Der RTM fordert einen vom Landkreis finanzierten Pool von Sprachmittlerinnen.",
    body=(
        "Ohne Sprachmittlung werden Termine verschoben und Bescheide missverstanden.\n\n"
        "## Unsere Forderung\n\nDer Landkreis richtet einen Dolmetschpool ein, den Ämter, "
        "Schulen und Beratungsstellen kostenlos buchen können.\n"
    ),
)


def demo_statement_ids() -> set[int]:
    """The paper this module made (its title and the demo author), for seed_demo's `papers`."""
    return set(
        Statement.objects.filter(
            title=ROOM_PAPER.title,
            created_by__email__in=("amira@example.org", "koordination@example.org"),
        ).values_list("pk", flat=True)
    )


def _paper_for_the_room(coordinator: Any) -> Statement | None:
    """A paper put to the vote and decided by a show of hands at the last meeting."""
    if Statement.objects.filter(title=ROOM_PAPER.title).exists():
        return None
    author = User.objects.filter(email="amira@example.org").first() or coordinator
    statement = statement_create(author=author, text=ROOM_PAPER, message="Erste Fassung")
    statement_transition(statement_id=statement.pk, name="submit", actor=author)
    statement_transition(statement_id=statement.pk, name="open_vote", actor=coordinator)
    return statement


def seed(*, stdout: Any = None, papers: Collection[int] = ()) -> None:
    # `papers` (the demo's own papers, see seed_demo): unused, this seeder only ever touches
    # the one paper it makes itself (_paper_for_the_room).
    del papers
    coordinator = User.objects.filter(is_coordinator=True).order_by("pk").first()
    if coordinator is None:
        if stdout:
            stdout.write("meetings: no coordinator yet, nothing to seed")
        return
    hosts = list(Organisation.objects.order_by("pk"))
    places = []
    for i, (name, town, address, transit, step_free) in enumerate(PLACES):
        place = Place.objects.filter(name=name).first() or services.place_save(
            actor=coordinator,
            fields=services.PlaceFields(
                name=name,
                town=town,
                address=address,
                transit=transit,
                step_free=step_free,
                host_id=hosts[i % len(hosts)].pk if hosts else None,
            ),
        )
        places.append(place)
    today = timezone.localdate()
    planned = 0
    meetings = []
    for n, offset in enumerate((-2, -1, 0, 1, 2)):
        year, month = _month(today, offset)
        day = services.nth_weekday(year, month, 2, 2)
        if offset == 0 and day < today:
            year, month = _month(today, 3)
            day = services.nth_weekday(year, month, 2, 2)
        start = services.wall_clock(day, dt.time(17, 0))
        meeting = Meeting.objects.filter(starts_at=start).first()
        if meeting is None:
            meeting = services.meeting_plan(
                actor=coordinator,
                fields=services.MeetingFields(
                    starts_at=start, minutes=120, place_id=places[n % len(places)].pk
                ),
            )
            planned += 1
        meetings.append(meeting)
    members = list(User.objects.members().order_by("pk")[:6])
    last_past = meetings[1]
    if last_past.status in ("planned", "confirmed"):
        services.attendance_record(
            actor=coordinator,
            meeting_id=last_past.pk,
            check_in=services.CheckIn(
                user_ids=tuple(m.pk for m in members), guest_count=2, guest_names="Gäste aus Wurzen"
            ),
        )
        paper = _paper_for_the_room(coordinator)
        if paper is not None and not RoomDecision.objects.exists():
            services.agenda_draft(actor=coordinator, meeting_id=last_past.pk)
            services.room_decision_record(
                actor=coordinator,
                meeting_id=last_past.pk,
                statement_id=paper.pk,
                counts=Counts(yes=len(members) - 1, abstain=1),
            )
        else:
            services.meeting_mark_held(actor=coordinator, meeting_id=last_past.pk)
    first = meetings[0]
    if first.status in ("planned", "confirmed"):
        services.attendance_record(
            actor=coordinator,
            meeting_id=first.pk,
            check_in=services.CheckIn(user_ids=tuple(m.pk for m in members[:4]), guest_count=1),
        )
        services.agenda_draft(actor=coordinator, meeting_id=first.pk)
        services.meeting_mark_held(actor=coordinator, meeting_id=first.pk)
    if not Minutes.objects.filter(meeting=first).exists():
        # The older meeting's minutes: circulated and approved at the next meeting.
        minutes = services.minutes_draft(actor=coordinator, meeting_id=first.pk)
        services.minutes_save(
            actor=coordinator,
            minutes_id=minutes.pk,
            body=minutes.current_revision.body,
            public_body=minutes.current_revision.public_body
            + "\n\nDer RTM hat über die Lage in den Gemeinschaftsunterkünften beraten.",
            base_revision_id=minutes.current_revision_id,
        )
        services.minutes_circulate(actor=coordinator, minutes_id=minutes.pk)
        services.minutes_approve(actor=coordinator, minutes_id=minutes.pk)
    if not Minutes.objects.filter(meeting=last_past).exists():
        # The last meeting's minutes (with the decision in the room): open for objections.
        minutes = services.minutes_draft(actor=coordinator, meeting_id=last_past.pk)
        services.minutes_circulate(actor=coordinator, minutes_id=minutes.pk)
        # Two members answer: a comment on the whole, an objection to one paragraph.
        guests = next(
            (b for b in blocks(minutes.current_revision.body) if b.source.startswith("Gäste")),
            None,
        )
        if len(members) >= 2:
            services.minutes_remark(
                user=members[0],
                minutes_id=minutes.pk,
                kind="comment",
                text="Danke fürs schnelle Protokoll!",
            )
            services.minutes_remark(
                user=members[1],
                minutes_id=minutes.pk,
                kind="objection",
                block_id=guests.id if guests else "",
                text="Die Gäste kamen vom Willkommensbündnis Wurzen, bitte so nennen.",
            )
    upcoming = meetings[2]
    if not upcoming.agenda.exists():
        services.agenda_draft(actor=coordinator, meeting_id=upcoming.pk)
    for member, answer in zip(members, ("yes", "yes", "maybe", "no", "yes"), strict=False):
        services.rsvp_set(user=member, meeting_id=upcoming.pk, answer=answer)
    if stdout:
        stdout.write(f"meetings: {len(places)} places, {planned} meetings planned now")
