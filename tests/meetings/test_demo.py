"""The demo has meetings at places across the district, made through the services."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from meetings.models import Meeting, Minutes, Place, Presence, RoomDecision, Rsvp

pytestmark = pytest.mark.django_db


def test_demo_meetings_are_idempotent_and_span_the_district():
    call_command("seed_demo", stdout=StringIO())
    counts = (Place.objects.count(), Meeting.objects.count(), Presence.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (Place.objects.count(), Meeting.objects.count(), Presence.objects.count()) == counts
    towns = set(Place.objects.values_list("town", flat=True))
    assert {"Borna", "Grimma", "Markkleeberg", "Wurzen", "Naunhof"} <= towns
    now = timezone.now()
    assert Meeting.objects.filter(starts_at__lt=now, status="held").count() == 2
    upcoming = Meeting.objects.filter(starts_at__gt=now).order_by("starts_at")
    assert upcoming.count() == 3
    assert upcoming[0].agenda.exists()
    assert Rsvp.objects.filter(meeting=upcoming[0]).exists()
    assert Presence.objects.exists()
    decision = RoomDecision.objects.get()
    assert decision.statement.state == "accepted" and decision.meeting.status == "held"
    assert set(Minutes.objects.values_list("status", flat=True)) == {"approved", "objections"}
    open_minutes = Minutes.objects.get(status="objections")
    kinds = sorted(open_minutes.objections.values_list("kind", flat=True))
    assert kinds == ["comment", "objection"]
