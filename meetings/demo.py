"""Demo meetings (idempotent, through the services): places across the district, two
past meetings (one with attendance and, if a second paper is in voting, a decision taken
in the room) and the next three monthly dates, the second Wednesday at 17:00."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from accounts.models import Organisation, User
from meetings import services
from meetings.models import Meeting, Place, RoomDecision
from statements.models import Statement
from statements.states import State
from voting.rules import Counts

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


def seed(*, stdout: Any = None) -> None:
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
        services.agenda_draft(actor=coordinator, meeting_id=last_past.pk)
        voting = list(Statement.objects.filter(state=State.VOTING).order_by("pk"))
        if len(voting) >= 2 and not RoomDecision.objects.exists():
            services.room_decision_record(
                actor=coordinator,
                meeting_id=last_past.pk,
                statement_id=voting[-1].pk,
                counts=Counts(yes=len(members) - 1, abstain=1),
            )
        else:
            services.meeting_mark_held(actor=coordinator, meeting_id=last_past.pk)
    if meetings[0].status in ("planned", "confirmed"):
        services.meeting_mark_held(actor=coordinator, meeting_id=meetings[0].pk)
    upcoming = meetings[2]
    if not upcoming.agenda.exists():
        services.agenda_draft(actor=coordinator, meeting_id=upcoming.pk)
    for member, answer in zip(members, ("yes", "yes", "maybe", "no", "yes"), strict=False):
        services.rsvp_set(user=member, meeting_id=upcoming.pk, answer=answer)
    if stdout:
        stdout.write(f"meetings: {len(places)} places, {planned} meetings planned now")
