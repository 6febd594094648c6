"""Minutes: drafted from the agenda (decisions with revision and counts, attendance),
edited in revisions, circulated for objections, approved; the public part is published
only once approved, for a public meeting."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import Minutes, MinutesStatus
from notifications.models import Kind, Notification
from tests.factories import UserFactory, make_statement
from tests.meetings.conftest import plan
from voting.models import Ballot
from voting.rules import Counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(coordinator, author, place):
    """A meeting with attendance, an agenda and a paper decided in the room."""
    meeting = plan(coordinator, place, days=0)
    people = [UserFactory(display_name=f"Anwesende {i}") for i in range(3)]
    services.attendance_record(
        actor=coordinator,
        meeting_id=meeting.pk,
        check_in=services.CheckIn(user_ids=tuple(p.pk for p in people), guest_count=2),
    )
    paper = make_statement(author=author, state="voting", title="Wohnsitzauflage")
    Ballot.objects.filter(statement=paper).update(quorum_kind="none")
    services.agenda_draft(actor=coordinator, meeting_id=meeting.pk)
    services.room_decision_record(
        actor=coordinator, meeting_id=meeting.pk, statement_id=paper.pk, counts=Counts(yes=3)
    )
    return meeting, paper


def test_draft_names_decisions_with_revision_and_counts_and_attendance(coordinator, held):
    meeting, paper = held
    minutes = services.minutes_draft(actor=coordinator, meeting_id=meeting.pk)
    body = minutes.current_revision.body
    assert "Entscheidung im Treffen über Fassung 1: angenommen" in body
    assert "3 ja, 0 nein" in body and "3 Stimmberechtigte anwesend" in body
    assert paper.get_absolute_url() in minutes.current_revision.body_html
    assert "Anwesende 0" in body and "Gäste: 2" in body
    assert "Bericht aus dem Integrationsbeirat" in minutes.current_revision.public_body
    assert "Wohnsitzauflage" not in minutes.current_revision.public_body  # internal paper
    assert services.minutes_draft(actor=coordinator, meeting_id=meeting.pk) == minutes


def test_objected_once_then_approved_and_published(client_for, coordinator, member, held):
    meeting, _paper = held
    minutes = services.minutes_draft(actor=coordinator, meeting_id=meeting.pk)
    coord = client_for(coordinator)
    edit = reverse("meetings:minutes_edit", args=[meeting.pk])
    first = minutes.current_revision
    response = coord.post(
        edit,
        {"body": first.body + "\nErgänzung.", "public_body": "Öffentlich: Bericht.",
         "base_revision": first.pk},
    )  # fmt: skip
    assert response.status_code == 302
    # A second save from the old base is refused and keeps the typed text.
    stale = coord.post(edit, {"body": "Mein Text", "public_body": "", "base_revision": first.pk})
    assert stale.status_code == 409 and "Mein Text" in stale.content.decode()
    assert minutes.revisions.count() == 2

    coord.post(reverse("meetings:minutes_circulate", args=[meeting.pk]), {"days": "14"})
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.OBJECTIONS
    assert Notification.objects.filter(kind=Kind.MINUTES_READY, recipient=member).exists()
    visitor = client_for(None)
    assert visitor.get(reverse("meetings:minutes", args=[meeting.pk])).status_code == 404

    response = client_for(member).post(
        reverse("meetings:minutes_remark", args=[meeting.pk]),
        {"kind": "objection", "text": "Punkt 2 fehlt."},
    )
    assert response.status_code == 302
    # With an objection the period ending does not approve it: the meeting decides.
    assert services.minutes_approve_due(now=timezone.now() + dt.timedelta(days=15)) == 0
    coord.post(reverse("meetings:minutes_approve", args=[meeting.pk]))
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.APPROVED and minutes.approved_by == coordinator
    public = visitor.get(reverse("meetings:minutes", args=[meeting.pk]))
    assert public.status_code == 200
    text = public.content.decode()
    assert "Öffentlich: Bericht." in text and "Ergänzung" not in text
    assert "Punkt 2 fehlt" not in text


def test_without_objection_the_period_approves(coordinator, held):
    meeting, _paper = held
    minutes = services.minutes_draft(actor=coordinator, meeting_id=meeting.pk)
    services.minutes_circulate(actor=coordinator, minutes_id=minutes.pk, days=7)
    assert services.minutes_approve_due() == 0
    assert services.minutes_approve_due(now=timezone.now() + dt.timedelta(days=8)) == 1
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.APPROVED and minutes.approved_by is None
    assert Minutes.objects.get().approved_at is not None
    with pytest.raises(services.MeetingError):
        services.minutes_save(
            actor=coordinator,
            minutes_id=minutes.pk,
            body="neu",
            public_body="",
            base_revision_id=minutes.current_revision_id,
        )


def test_members_only_meeting_minutes_stay_internal(client_for, coordinator, place):
    meeting = plan(coordinator, place, days=0, public=False)
    minutes = services.minutes_draft(actor=coordinator, meeting_id=meeting.pk)
    services.minutes_save(
        actor=coordinator, minutes_id=minutes.pk, body="Intern", public_body="Auch öffentlich?",
        base_revision_id=minutes.current_revision_id,
    )  # fmt: skip
    services.minutes_circulate(actor=coordinator, minutes_id=minutes.pk)
    services.minutes_approve(actor=coordinator, minutes_id=minutes.pk)
    url = reverse("meetings:minutes", args=[meeting.pk])
    assert client_for(None).get(url).status_code == 404
