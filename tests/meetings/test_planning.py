"""Planning meetings: a series keeps its wall-clock time across the change to summer
time, single dates are adjusted or cancelled with a reason, the place list remembers."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import Meeting, MeetingStatus, Place, Presence, Rsvp
from tests.factories import OrganisationFactory, UserFactory, confirm_membership
from tests.meetings.conftest import plan

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def test_a_series_across_the_dst_change_keeps_its_wall_clock_time(client_for, coordinator):
    """Planned through the page: every second Wednesday at 17:00, January to June 2027."""
    borna = services.place_save(
        actor=coordinator,
        fields=services.PlaceFields(name="Bürgerhaus", town="Borna", address="Markt 1"),
    )
    grimma = services.place_save(
        actor=coordinator,
        fields=services.PlaceFields(name="Kulturhaus", town="Grimma", address="Lange Str. 2"),
    )
    response = client_for(coordinator).post(
        reverse("meetings:series"),
        {
            "first": "2027-01-01",
            "count": "6",
            "ordinal": "2",
            "weekday": "2",
            "time": "17:00",
            "minutes": "120",
            "places": [borna.pk, grimma.pk],
            "is_public": "on",
            "guests_welcome": "on",
        },
    )
    assert response.status_code == 302
    meetings = list(Meeting.objects.order_by("starts_at"))
    local = [m.starts_at.astimezone(BERLIN) for m in meetings]
    assert [d.date() for d in local] == [
        dt.date(2027, 1, 13),
        dt.date(2027, 2, 10),
        dt.date(2027, 3, 10),
        dt.date(2027, 4, 14),  # after the change on 28 March
        dt.date(2027, 5, 12),
        dt.date(2027, 6, 9),
    ]
    assert {(d.hour, d.minute) for d in local} == {(17, 0)}
    # The instants differ by the hour the clocks moved.
    utc_hours = [m.starts_at.astimezone(dt.UTC).hour for m in meetings]
    assert utc_hours == [16, 16, 16, 15, 15, 15]
    assert [m.place for m in meetings] == [borna, grimma] * 3  # rotating places
    assert len({m.series_id for m in meetings}) == 1
    assert all(m.ends_at - m.starts_at == dt.timedelta(hours=2) for m in meetings)


def test_series_across_the_autumn_change_and_last_weekday():
    starts = services.series_dates(
        first=dt.date(2027, 9, 1), count=3, weekday=3, ordinal=-1, at=dt.time(18, 30)
    )
    local = [s.astimezone(BERLIN) for s in starts]
    assert [d.date() for d in local] == [
        dt.date(2027, 9, 30),
        dt.date(2027, 10, 28),  # still summer time: the clocks change on 31 October
        dt.date(2027, 11, 25),
    ]
    assert {(d.hour, d.minute) for d in local} == {(18, 30)}
    assert [s.utcoffset() for s in local] == [
        dt.timedelta(hours=2),
        dt.timedelta(hours=2),
        dt.timedelta(hours=1),
    ]


def test_series_starts_on_or_after_the_first_day():
    # The second Wednesday of January 2027 is the 13th: starting on the 14th skips January.
    starts = services.series_dates(
        first=dt.date(2027, 1, 14), count=1, weekday=2, ordinal=2, at=dt.time(17)
    )
    assert starts[0].date() == dt.date(2027, 2, 10)


def test_series_form_errors_keep_the_input(client_for, coordinator, place):
    response = client_for(coordinator).post(
        reverse("meetings:series"),
        {"first": "2027-01-01", "count": "99", "ordinal": "2", "weekday": "2",
         "time": "17:00", "minutes": "120", "places": [place.pk]},
    )  # fmt: skip
    assert response.status_code == 400
    assert Meeting.objects.count() == 0
    assert 'value="99"' in response.content.decode()


def test_adjusting_one_date_needs_a_reason_and_raises_the_sequence(
    client_for, coordinator, meeting, place
):
    client = client_for(coordinator)
    url = reverse("meetings:edit", args=[meeting.pk])
    data = {
        "date": "2027-07-07",
        "time": "18:00",
        "minutes": "90",
        "place": place.pk,
        "is_public": "on",
        "reason": "",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert 'value="2027-07-07"' in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.sequence == 0

    response = client.post(url, {**data, "reason": "Der Saal ist belegt."})
    assert response.status_code == 302
    changed = Meeting.objects.get(pk=meeting.pk)
    assert changed.uid == meeting.uid
    assert changed.sequence == 1
    assert changed.starts_at == dt.datetime(2027, 7, 7, 18, 0, tzinfo=BERLIN)
    assert changed.change_note == "Der Saal ist belegt."
    page = client_for(None).get(changed.get_absolute_url()).content.decode()
    assert "Der Saal ist belegt." in page


def test_cancelling_needs_a_reason_and_is_shown(client_for, coordinator, meeting):
    client = client_for(coordinator)
    url = reverse("meetings:cancel", args=[meeting.pk])
    assert client.post(url, {"reason": "  "}).status_code == 400
    assert client.post(url, {"reason": "Sturmwarnung"}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert meeting.sequence == 1
    page = client_for(None).get(meeting.get_absolute_url()).content.decode()
    assert "Sturmwarnung" in page
    # A cancelled date is not moved again, nor cancelled twice.
    with pytest.raises(services.MeetingError):
        services.meeting_cancel(actor=coordinator, meeting_id=meeting.pk, reason="noch mal")


def test_only_the_coordination_plans(member, place):
    with pytest.raises(services.MeetingError) as refused:
        plan(member, place)
    assert refused.value.status == 403


def test_place_list_remembers_venues_and_names_are_unique(client_for, coordinator):
    host = OrganisationFactory(name="Willkommensinitiative Wurzen")
    client = client_for(coordinator)
    data = {"name": "Alte Post", "town": "Wurzen", "address": "Bahnhofstr. 3",
            "transit": "RB 110", "step_free": "on", "host": host.pk}  # fmt: skip
    assert client.post(reverse("meetings:places"), data).status_code == 302
    place = Place.objects.get()
    assert place.host == host and place.step_free
    again = client.post(reverse("meetings:places"), data)
    assert again.status_code == 400
    assert Place.objects.count() == 1
    page = client.get(reverse("meetings:places")).content.decode()
    assert "Alte Post" in page and "Willkommensinitiative Wurzen" in page


def test_changing_a_place_updates_the_calendar_entries_of_its_meetings(coordinator, meeting):
    services.place_save(
        actor=coordinator,
        place_id=meeting.place_id,
        fields=services.PlaceFields(name="Bürgerhaus am Markt", town="Borna", address="Markt 2"),
    )
    meeting.refresh_from_db()
    assert meeting.sequence == 1


def test_rsvp_without_javascript(client_for, member, meeting):
    client = client_for(member)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert 'type="radio"' in page and 'name="answer"' in page
    url = reverse("meetings:rsvp", args=[meeting.pk])
    assert client.post(url, {"answer": "maybe"}).status_code == 302
    assert client.post(url, {"answer": "yes"}).status_code == 302
    assert Rsvp.objects.get(meeting=meeting, user=member).answer == "yes"
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Bisher: 1 Zusagen" in page
    assert client.post(url, {"answer": "vielleicht-ja"}).status_code == 302
    assert Rsvp.objects.get(meeting=meeting, user=member).answer == "yes"


def test_no_rsvp_for_a_cancelled_meeting(coordinator, member, meeting):
    services.meeting_cancel(actor=coordinator, meeting_id=meeting.pk, reason="Krankheit")
    with pytest.raises(services.MeetingError):
        services.rsvp_set(user=member, meeting_id=meeting.pk, answer="yes")


def test_check_in_records_members_organisations_and_guests(client_for, coordinator, meeting):
    present = UserFactory(display_name="Pia Präsent")
    organisation = OrganisationFactory(name="Caritas Grimma")
    confirm_membership(present, organisation)
    away = UserFactory(display_name="Adam Abwesend")
    outsider = UserFactory(membership_status="registered")
    client = client_for(coordinator)
    url = reverse("meetings:attendance", args=[meeting.pk])
    response = client.post(
        url,
        {"present": [present.pk, coordinator.pk], "guest_count": "3",
         "guest_names": "Frau Gast"},
    )  # fmt: skip
    assert response.status_code == 302
    assert set(Presence.objects.values_list("user_id", flat=True)) == {present.pk, coordinator.pk}
    page = client.get(url).content.decode()
    assert "Caritas Grimma" in page and "3 Gäste" in page
    # Checking in again replaces the list; someone who is no member cannot be in it.
    services.attendance_record(
        actor=coordinator,
        meeting_id=meeting.pk,
        check_in=services.CheckIn(user_ids=(away.pk, outsider.pk)),
    )
    assert set(Presence.objects.values_list("user_id", flat=True)) == {away.pk}


def test_times_are_typed_as_berlin_wall_clock(client_for, coordinator, place):
    response = client_for(coordinator).post(
        reverse("meetings:manage"),
        {"date": "2027-03-31", "time": "17:30", "minutes": "120", "place": place.pk},
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.starts_at == dt.datetime(2027, 3, 31, 15, 30, tzinfo=dt.UTC)
    assert not meeting.is_public  # an unticked box is a members-only meeting
    assert timezone.localtime(meeting.starts_at).hour == 17


def test_the_data_export_lists_answers_presence_and_proposals(
    client_for, coordinator, member, meeting
):
    services.rsvp_set(user=member, meeting_id=meeting.pk, answer="maybe")
    services.attendance_record(
        actor=coordinator, meeting_id=meeting.pk, check_in=services.CheckIn(user_ids=(member.pk,))
    )
    services.agenda_propose(user=member, meeting_id=meeting.pk, title="Sprachcafé")
    token = services.calendar_token_for(user=member).token
    response = client_for(member).get(reverse("accounts:profile_export"))
    text = response.content.decode()
    assert '"answer": "maybe"' in text and "Sprachcafé" in text
    assert '"has_calendar_address": true' in text and token not in text
