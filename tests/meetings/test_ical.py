"""Calendars that calendar software reads: the public and the personal feed, and the
invitation attached to mails, each parsed by icalendar and by vobject (a second,
independent parser)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from django.urls import reverse
from django.utils import timezone

from meetings import ical, services
from tests.factories import UserFactory, make_statement
from tests.meetings.conftest import plan

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def _winter_and_summer(coordinator, place):
    """One meeting at 17:00 in January, one at 17:00 in July (Berlin time)."""
    return [
        services.meeting_plan(
            actor=coordinator,
            fields=services.MeetingFields(
                starts_at=services.wall_clock(day, dt.time(17)), minutes=120, place_id=place.pk
            ),
        )
        for day in (dt.date(2027, 1, 13), dt.date(2027, 7, 14))
    ]


def _both_parsers(body: bytes):
    cal = icalendar.Calendar.from_ical(body)
    vcal = vobject.readOne(body.decode("utf-8"))
    return cal, vcal


def test_public_feed_parses_and_keeps_wall_clock_time_across_dst(
    client_for, coordinator, place, monkeypatch
):
    monkeypatch.setattr("meetings.selectors.PAST_DAYS", 10_000)
    winter, summer = _winter_and_summer(coordinator, place)
    plan(coordinator, place, public=False, title="Nur intern")
    response = client_for(None).get(reverse("meetings:public_feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content
    assert b"TZID=Europe/Berlin:20270113T170000" in body
    assert b"TZID=Europe/Berlin:20270714T170000" in body
    assert b"BEGIN:VTIMEZONE" in body
    cal, vcal = _both_parsers(body)

    events = cal.walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [ical.meeting_uid(winter), ical.meeting_uid(summer)]
    assert "Nur intern" not in body.decode()
    starts = [e.decoded("DTSTART") for e in events]
    assert [(s.hour, s.utcoffset()) for s in starts] == [
        (17, dt.timedelta(hours=1)),
        (17, dt.timedelta(hours=2)),
    ]
    # vobject reads the VTIMEZONE we wrote (its RRULEs), not a time-zone database.
    vstarts = [e.dtstart.value for e in vcal.vevent_list]
    assert [v.astimezone(dt.UTC).hour for v in vstarts] == [16, 15]
    assert [v.astimezone(BERLIN).hour for v in vstarts] == [17, 17]
    assert {e.uid.value for e in vcal.vevent_list} == {str(e["UID"]) for e in events}
    assert all(e.location.value.startswith("Bürgerhaus am Markt") for e in vcal.vevent_list)


def test_invitation_update_and_cancel_keep_the_uid_and_raise_sequence(coordinator, member, place):
    meeting = plan(coordinator, place)
    first = icalendar.Calendar.from_ical(ical.invitation(meeting, attendee=member))
    assert first["METHOD"] == "REQUEST"
    event = first.walk("VEVENT")[0]
    assert "mailto:" + member.email in str(event["ATTENDEE"])
    assert str(event["ORGANIZER"]).startswith("mailto:")

    local = meeting.starts_at.astimezone(BERLIN)
    changed = services.meeting_update(
        actor=coordinator,
        meeting_id=meeting.pk,
        reason="Später, wegen des Busfahrplans",
        fields=services.MeetingFields(
            starts_at=local + dt.timedelta(hours=1), minutes=120, place_id=place.pk
        ),
    )
    update_body = ical.invitation(changed, attendee=member)
    cancelled = services.meeting_cancel(actor=coordinator, meeting_id=meeting.pk, reason="Krank")
    cancel_body = ical.invitation(cancelled, attendee=member)

    sequences, uids = [], set()
    for body, method in ((update_body, "REQUEST"), (cancel_body, "CANCEL")):
        cal, vcal = _both_parsers(body)
        assert cal["METHOD"] == method == vcal.method.value
        (event,) = cal.walk("VEVENT")
        (vevent,) = vcal.vevent_list
        uids |= {str(event["UID"]), vevent.uid.value}
        sequences.append(int(event["SEQUENCE"]))
        assert int(vevent.sequence.value) == sequences[-1]
    assert uids == {str(first.walk("VEVENT")[0]["UID"])}
    assert [0, *sequences] == sorted(set([0, *sequences]))  # strictly rising
    assert cal.walk("VEVENT")[0]["STATUS"] == "CANCELLED"
    update = icalendar.Calendar.from_ical(update_body).walk("VEVENT")[0]
    assert "Später, wegen des Busfahrplans" in str(update["DESCRIPTION"])


def test_personal_feed_has_members_meetings_and_deadlines(
    client_for, coordinator, member, author, place
):
    internal = plan(coordinator, place, public=False, title="Klausur")
    consulting = make_statement(author=author, state="consultation", title="Bezahlkarte")
    voting = make_statement(author=author, state="voting", title="Wohnsitzauflage")
    draft = make_statement(author=author, state="draft", title="Geheimer Entwurf")
    token = services.calendar_token_for(user=member).token
    body = client_for(None).get(reverse("meetings:personal_feed", args=[token])).content
    cal, vcal = _both_parsers(body)
    uids = {str(e["UID"]) for e in cal.walk("VEVENT")}
    assert ical.meeting_uid(internal) in uids
    summaries = {str(e["SUMMARY"]) for e in cal.walk("VEVENT")}
    assert "Ende der Konsultation: Bezahlkarte" in summaries
    assert "Abstimmungsfrist: Wohnsitzauflage" in summaries
    assert "Geheimer Entwurf" not in icalendar.Calendar.from_ical(body).to_ical().decode()
    assert any(u.startswith(f"statement-{consulting.pk}-consultation@") for u in uids)
    assert any(u.startswith(f"statement-{voting.pk}-vote-1@") for u in uids)
    assert len(vcal.vevent_list) == len(uids) == 3
    assert not any(draft.slug in u for u in uids)


def test_the_feed_token_gives_nothing_else_and_can_be_reset(client_for, member, meeting):
    token = services.calendar_token_for(user=member).token
    anonymous = client_for(None)
    feed = reverse("meetings:personal_feed", args=[token])
    assert anonymous.get(feed).status_code == 200
    # Not a login: the session stays anonymous, member pages still ask to sign in.
    assert "_auth_user_id" not in anonymous.session
    for name in ("meetings:my_calendar", "statements:dashboard", "accounts:profile"):
        response = anonymous.get(reverse(name) + f"?token={token}")
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    # The member page shows the address; a reset makes the old one 404.
    member_client = client_for(member)
    assert token in member_client.get(reverse("meetings:my_calendar")).content.decode()
    assert member_client.post(reverse("meetings:calendar_reset")).status_code == 302
    assert anonymous.get(feed).status_code == 404
    new = services.calendar_token_for(user=member).token
    assert new != token
    assert anonymous.get(reverse("meetings:personal_feed", args=[new])).status_code == 200


def test_a_suspended_members_token_opens_nothing(client_for, meeting):
    person = UserFactory()
    token = services.calendar_token_for(user=person).token
    person.membership_status = "suspended"
    person.save()
    assert client_for(None).get(reverse("meetings:personal_feed", args=[token])).status_code == 404


def test_personal_feed_holds_the_funding_hint_deadlines_members_may_read(
    client_for, coordinator, member
):
    from maillist import services as maillist
    from maillist.models import PostType, TypeSetting

    def hint(title, days, **extra):
        return maillist.post_create(
            author=member,
            post_type=PostType.FUNDING,
            title=title,
            body="Beschreibung",
            is_public=extra.pop("is_public", False),
            funder="Stiftung Beispiel",
            programme="Teilhabe vor Ort",
            eligible="Vereine",
            amount="bis 3.000 €",
            deadline=timezone.localdate() + dt.timedelta(days=days),
            link="https://example.org/programm",
        )

    internal = hint("Mikroprojekte 2027", 20)
    public = hint("Sprachcafés", 40, is_public=True)
    TypeSetting.objects.create(post_type=PostType.FUNDING, approval_required=True)
    held = hint("Noch nicht freigegeben", 10)
    assert held.state == "held"
    token = services.calendar_token_for(user=member).token
    feed = reverse("meetings:personal_feed", args=[token])
    body = client_for(None).get(feed).content
    cal, vcal = _both_parsers(body)
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    uid = f"funding-hint-{internal.pk}@"
    found = [e for u, e in events.items() if u.startswith(uid)]
    assert len(found) == 1
    event = found[0]
    assert str(event["SUMMARY"]) == "Antragsfrist: Mikroprojekte 2027"
    assert event.decoded("DTSTART") == internal.deadline  # an all-day date, not a moment
    assert event.decoded("DTEND") == internal.deadline + dt.timedelta(days=1)
    assert "Stiftung Beispiel" in str(event["DESCRIPTION"])
    assert any(u.startswith(f"funding-hint-{public.pk}@") for u in events)
    assert not any(u.startswith(f"funding-hint-{held.pk}@") for u in events)
    assert "Noch nicht freigegeben" not in body.decode()
    assert len(vcal.vevent_list) == len(events) == 2
    # Stable: the same UIDs on the next fetch.
    again = icalendar.Calendar.from_ical(client_for(None).get(feed).content)
    assert {str(e["UID"]) for e in again.walk("VEVENT")} == set(events)
    # The token opens the feed, not the funding board's internal hints.
    board = client_for(None).get(reverse("maillist:funding") + f"?token={token}")
    assert "Mikroprojekte 2027" not in board.content.decode()
