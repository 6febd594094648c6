"""Places and meetings built through the meetings services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from meetings import services


@pytest.fixture
def place(coordinator):
    return services.place_save(
        actor=coordinator,
        fields=services.PlaceFields(
            name="Bürgerhaus am Markt",
            town="Borna",
            address="Markt 1, 04552 Borna",
            transit="S-Bahn S6 bis Borna, 5 Minuten Fußweg",
            step_free=True,
        ),
    )


def plan(coordinator, place, *, days: int = 10, public: bool = True, **extra):
    start = (timezone.now() + dt.timedelta(days=days)).replace(microsecond=0)
    return services.meeting_plan(
        actor=coordinator,
        fields=services.MeetingFields(
            starts_at=start, minutes=120, place_id=place.pk, is_public=public, **extra
        ),
    )


@pytest.fixture
def meeting(coordinator, place):
    return plan(coordinator, place)
