"""Meeting mails go through the outbox: invitation, change, cancellation and the reminder
the day before, each with the .ics that adds, updates or removes the calendar entry,
each kind switchable on the preferences page."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from meetings import services
from notifications.kinds import preference_kinds_for
from notifications.models import Kind, Mode, Notification, Preference
from tests.factories import UserFactory, make_statement
from tests.meetings.conftest import plan

pytestmark = pytest.mark.django_db


def _ics(message) -> icalendar.Calendar:
    [(name, content, mimetype)] = message.attachments
    assert name.endswith(".ics") and mimetype.startswith("text/calendar; method=")
    return icalendar.Calendar.from_ical(content)


def test_invitation_change_and_cancellation_update_one_calendar_entry(
    coordinator, place, django_capture_on_commit_callbacks
):
    greta = UserFactory(display_name="Greta", language="de")
    emma = UserFactory(display_name="Emma", language="en")
    UserFactory(membership_status="registered")  # no member: not invited
    with django_capture_on_commit_callbacks(execute=True):
        meeting = plan(coordinator, place)
    invitations = {m.to[0]: m for m in mail.outbox}
    assert set(invitations) == {greta.email, emma.email}  # the planner is not mailed
    assert "Einladung" in invitations[greta.email].subject
    assert "Invitation" in invitations[emma.email].subject
    assert meeting.get_absolute_url() in invitations[greta.email].body
    first = _ics(invitations[greta.email])
    assert first["METHOD"] == "REQUEST"
    uid = str(first.walk("VEVENT")[0]["UID"])

    mail.outbox.clear()
    local = timezone.localtime(meeting.starts_at)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(
            actor=coordinator,
            meeting_id=meeting.pk,
            reason="Neuer Raum",
            fields=services.MeetingFields(
                starts_at=local + dt.timedelta(days=1), minutes=90, place_id=place.pk
            ),
        )
    [changed] = [m for m in mail.outbox if m.to == [greta.email]]
    assert "Neuer Raum" in changed.body
    update = _ics(changed)
    assert update["METHOD"] == "REQUEST"
    assert str(update.walk("VEVENT")[0]["UID"]) == uid
    assert update.walk("VEVENT")[0]["SEQUENCE"] == 1

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(actor=coordinator, meeting_id=meeting.pk, reason="Glatteis")
    [cancelled] = [m for m in mail.outbox if m.to == [greta.email]]
    assert "Glatteis" in cancelled.body
    removal = _ics(cancelled)
    assert removal["METHOD"] == "CANCEL"
    event = removal.walk("VEVENT")[0]
    assert str(event["UID"]) == uid and event["SEQUENCE"] == 2
    assert event["STATUS"] == "CANCELLED"


def test_each_meeting_kind_has_its_preference(coordinator, place, member):
    offered = preference_kinds_for(member)
    for kind in ("meeting_invitation", "meeting_changed", "meeting_cancelled", "meeting_reminder"):
        assert kind in offered
    Preference.objects.create(user=member, kind=Kind.MEETING_INVITATION, mode=Mode.OFF)
    plan(coordinator, place)
    rows = Notification.objects.filter(recipient=member, kind=Kind.MEETING_INVITATION)
    assert [r.channel for r in rows] == ["inapp"]  # listed in the app, no mail


def test_reminder_the_day_before_is_sent_once(
    coordinator, place, member, django_capture_on_commit_callbacks
):
    tomorrow = plan(coordinator, place, days=1)
    later = plan(coordinator, place, days=5)
    mail.outbox.clear()
    now = timezone.now() + dt.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.meetings_send_reminders(now=now) == 1
        assert services.meetings_send_reminders(now=now) == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted([member.email, coordinator.email])
    assert "Morgen" in mail.outbox[0].subject
    rows = Notification.objects.filter(kind=Kind.MEETING_REMINDER)
    assert {r.context["meeting_id"] for r in rows} == {tomorrow.pk} != {later.pk}


def test_no_reminder_for_a_cancelled_meeting(coordinator, place, member):
    meeting = plan(coordinator, place, days=1)
    services.meeting_cancel(actor=coordinator, meeting_id=meeting.pk, reason="Krank")
    assert services.meetings_send_reminders() == 0


def test_meeting_mails_can_go_to_the_digest(coordinator, place, member):
    from notifications import services as outbox

    Preference.objects.create(user=member, kind=Kind.MEETING_INVITATION, mode=Mode.DIGEST)
    meeting = plan(coordinator, place)
    mail.outbox.clear()
    assert outbox.digests_build() >= 1
    outbox.outbox_deliver()
    [digest] = [m for m in mail.outbox if m.to == [member.email]]
    assert "Monatstreffen des RTM" in digest.body
    assert meeting.get_absolute_url() in digest.body


def test_the_agenda_is_sent_with_the_mail_and_the_calendar_entry(
    coordinator, place, member, author, django_capture_on_commit_callbacks
):
    meeting = plan(coordinator, place)
    make_statement(author=author, state="voting", title="Dolmetschpool")
    services.agenda_draft(actor=coordinator, meeting_id=meeting.pk)
    services.agenda_propose(user=member, meeting_id=meeting.pk, title="Noch nicht angenommen")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_send(actor=coordinator, meeting_id=meeting.pk)
    [message] = [m for m in mail.outbox if m.to == [member.email]]
    assert "1. Bericht aus dem Integrationsbeirat" in message.body
    assert "2. Dolmetschpool" in message.body
    assert "Noch nicht angenommen" not in message.body
    event = _ics(message).walk("VEVENT")[0]
    assert "Dolmetschpool" in str(event["DESCRIPTION"]) and event["SEQUENCE"] == 1
