"""A members-only meeting never reaches a visitor: a canary planted in its title, place,
dial-in, approved minutes and cancellation reason must not appear in any anonymous
answer, on any URL of the authorization matrix (feeds and the home page included), in
either language, and the meeting's own pages answer 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meetings import services
from tests.authz.test_matrix import MATRIX
from tests.authz.world import STATES, World

pytestmark = pytest.mark.django_db
CANARY = "kanarientreffen"


def _plant(world: World) -> list[str]:
    """The members-only meetings' own addresses, which must answer 404 to a visitor."""
    coordinator = world.users["coordinator"]
    hidden_place = services.place_save(
        actor=coordinator,
        fields=services.PlaceFields(name=f"Ort {CANARY}", town="Naunhof", address="Weg 1"),
    )
    start = timezone.now() + dt.timedelta(days=2)  # before every public meeting
    own: list[str] = []
    for cancelled in (False, True):
        meeting = services.meeting_plan(
            actor=coordinator,
            fields=services.MeetingFields(
                starts_at=start,
                minutes=60,
                place_id=hidden_place.pk,
                is_public=False,
                title=f"Titel {CANARY}",
                dial_in=f"https://meet.example.org/{CANARY}",
            ),
        )
        if not cancelled:
            minutes = services.minutes_draft(actor=coordinator, meeting_id=meeting.pk)
            services.minutes_save(
                actor=coordinator,
                minutes_id=minutes.pk,
                body=f"Protokoll {CANARY}",
                public_body=f"Öffentlich {CANARY}",
                base_revision_id=minutes.current_revision_id,
            )
            services.minutes_circulate(actor=coordinator, minutes_id=minutes.pk)
            services.minutes_approve(actor=coordinator, minutes_id=minutes.pk)
        if cancelled:
            services.meeting_cancel(
                actor=coordinator, meeting_id=meeting.pk, reason=f"Grund {CANARY}"
            )
        own += [meeting.get_absolute_url(), reverse("meetings:minutes", args=[meeting.pk])]
    return own


@pytest.mark.parametrize("language", ["de", "en"])
def test_no_members_only_meeting_in_any_anonymous_answer(world: World, language: str):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    # The member's own feed address is the member's credential (its holder is the member);
    # tests/meetings/test_ical.py checks it gives nothing else and that a reset kills it.
    own_feed = reverse(
        "meetings:personal_feed", kwargs={"token": world.objects["calendar_token"].token}
    )
    leaks, checked = [], 0
    with transaction.atomic():
        own = _plant(world)
        for url in own:
            assert client.get(url).status_code == 404, url
        for row in MATRIX:
            if row.method != "GET":
                continue
            for state in STATES if row.per_state else (None,):
                url = reverse(row.name, kwargs=row.kwargs(world, state))
                if url == own_feed:
                    continue
                response = client.get(url)
                checked += 1
                if CANARY in response.content.decode(errors="replace").lower():
                    leaks.append(url)
        transaction.set_rollback(True)
    assert not leaks, f"members-only meeting shown to a visitor on {leaks}"
    assert checked > 40


def test_the_canary_is_there_for_members(world: World):
    """The scan above would pass if the canary were never planted."""
    client = world.client("member")
    with transaction.atomic():
        _plant(world)
        assert CANARY in client.get(reverse("meetings:list")).content.decode().lower()
        token = world.objects["calendar_token"].token
        feed = client.get(reverse("meetings:personal_feed", kwargs={"token": token}))
        assert CANARY in feed.content.decode().lower()
        transaction.set_rollback(True)
