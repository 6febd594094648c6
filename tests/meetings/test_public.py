"""What the public sees of meetings: the next public date on the home page, the public
meetings page, and never a members-only meeting."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import services
from tests.meetings.conftest import plan

pytestmark = pytest.mark.django_db


def test_home_shows_the_next_public_meeting(client_for, coordinator, place):
    plan(coordinator, place, days=3, public=False, title="Klausur Mitglieder")
    cancelled = plan(coordinator, place, days=5)
    services.meeting_cancel(actor=coordinator, meeting_id=cancelled.pk, reason="Hochwasser")
    nxt = plan(coordinator, place, days=8, guests_welcome=True)
    plan(coordinator, place, days=40)
    page = client_for(None).get("/").content.decode()
    assert nxt.get_absolute_url() in page
    assert "Bürgerhaus am Markt" in page and "Markt 1, 04552 Borna" in page
    assert "Gäste sind willkommen." in page
    assert cancelled.get_absolute_url() not in page
    assert "Klausur Mitglieder" not in page
    assert reverse("meetings:public_feed") in page  # the calendar is linked from home


def test_home_follows_a_new_meeting_despite_the_page_cache(client_for, coordinator, place):
    client = client_for(None)
    assert "Zurzeit ist kein Treffen angekündigt" in client.get("/").content.decode()
    meeting = plan(coordinator, place)
    assert meeting.get_absolute_url() in client.get("/").content.decode()


def test_members_only_meeting_is_404_for_visitors_and_listed_for_members(
    client_for, coordinator, place, member, registered
):
    secret = plan(coordinator, place, public=False, title="Interne Runde")
    for who in (None, registered):
        client = client_for(who)
        assert client.get(secret.get_absolute_url()).status_code == 404
        assert "Interne Runde" not in client.get(reverse("meetings:list")).content.decode()
    member_client = client_for(member)
    assert member_client.get(secret.get_absolute_url()).status_code == 200
    assert "Interne Runde" in member_client.get(reverse("meetings:list")).content.decode()


def test_dial_in_is_for_members_only(client_for, coordinator, place, member):
    meeting = plan(coordinator, place, dial_in="https://meet.example.org/rtm-geheim")
    assert "rtm-geheim" not in client_for(None).get(meeting.get_absolute_url()).content.decode()
    assert "rtm-geheim" in client_for(member).get(meeting.get_absolute_url()).content.decode()


@pytest.mark.parametrize("who", ["visitor", "member"])
def test_meeting_list_queries_do_not_grow(client_for, coordinator, place, member, who):
    client = client_for(member if who == "member" else None)
    plan(coordinator, place, days=2)
    # Session, user and its e-mail/2FA checks (member), upcoming, past, the RSVPs.
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("meetings:list")).status_code == 200
    for days in range(3, 13):
        plan(coordinator, place, days=days)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("meetings:list")).status_code == 200
    assert len(many) == len(few) <= 6


def test_meeting_page_queries_do_not_grow_with_agenda_and_answers(
    client_for, coordinator, place, member, author
):
    from meetings import services as meetings
    from tests.factories import UserFactory, make_statement

    meeting = plan(coordinator, place)
    client = client_for(member)
    with CaptureQueriesContext(connection) as few:
        assert client.get(meeting.get_absolute_url()).status_code == 200
    for i in range(5):
        make_statement(author=author, state="voting", title=f"Papier {i}")
        meetings.rsvp_set(user=UserFactory(), meeting_id=meeting.pk, answer="yes")
    meetings.agenda_draft(actor=coordinator, meeting_id=meeting.pk)
    with CaptureQueriesContext(connection) as many:
        page = client.get(meeting.get_absolute_url())
    assert "Papier 4" in page.content.decode()
    assert len(many) == len(few)


def test_cached_home_drops_a_meeting_once_it_is_over(
    client_for, coordinator, place, monkeypatch, django_assert_num_queries
):
    """The home page is cached for visitors with no query on a hit; once the meeting it
    announces has ended, the next request (and a browser's conditional one) gets the
    following date, although nothing was written."""
    soon = plan(coordinator, place, days=1, title="Treffen in Borna")
    later = plan(coordinator, place, days=30, title="Treffen in Wurzen")
    client = client_for(None)
    first = client.get("/")
    assert soon.get_absolute_url() in first.content.decode()
    etag = first["ETag"]
    with django_assert_num_queries(0):
        assert soon.get_absolute_url() in client.get("/").content.decode()
    assert client.get("/", HTTP_IF_NONE_MATCH=etag).status_code == 304

    past_the_end = soon.ends_at + dt.timedelta(minutes=1)
    monkeypatch.setattr("django.utils.timezone.now", lambda: past_the_end)
    conditional = client.get("/", HTTP_IF_NONE_MATCH=etag)
    assert conditional.status_code == 200
    page = conditional.content.decode()
    assert soon.get_absolute_url() not in page and later.get_absolute_url() in page
    # Cached again, now with the following meeting.
    with django_assert_num_queries(0):
        assert later.get_absolute_url() in client.get("/").content.decode()
