"""A coordinator extends a running vote's deadline (issue 16, item 7): later only, with a
reason, audited, and the eligible voters told through the outbox."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from notifications.models import Channel, Notification
from tests.factories import UserFactory, make_statement
from voting.models import Ballot
from workflow.models import AuditEntry

pytestmark = pytest.mark.django_db

FORMAT = "%Y-%m-%dT%H:%M"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client, statement, when, reason="Zwei Mitglieder sind im Urlaub."):
    return client.post(
        f"/statements/{statement.slug}/extend-voting/",
        {"closes_at": timezone.localtime(when).strftime(FORMAT), "reason": reason},
    )


def test_coordinator_extends_with_reason_audited_and_voters_told(coordinator):
    voter = UserFactory(display_name="Vera Wählerin")
    paper = make_statement(author=UserFactory(), state="voting", title="Läuft")
    ballot = Ballot.objects.get(statement=paper, closed_at__isnull=True)
    client = client_for(coordinator)
    page = client.get(f"/statements/{paper.slug}/extend-voting/").content.decode()
    assert "Bisherige Frist" in page
    later = (ballot.closes_at + timedelta(days=3)).replace(second=0, microsecond=0)
    response = _post(client, paper, later)
    assert response.status_code == 302
    ballot.refresh_from_db()
    assert ballot.closes_at == later
    entry = AuditEntry.objects.get(statement=paper, transition="extend_voting")
    assert entry.note == "Zwei Mitglieder sind im Urlaub." and entry.scheduled_for == later
    told = Notification.objects.filter(kind="voting_extended", recipient=voter)
    assert {row.channel for row in told} == {Channel.EMAIL, Channel.INAPP}
    # A second extension tells them again (its own event).
    assert _post(client, paper, later + timedelta(days=1)).status_code == 302
    assert (
        Notification.objects.filter(
            kind="voting_extended", recipient=voter, channel=Channel.INAPP
        ).count()
        == 2
    )


def test_refusals_keep_the_input_and_change_nothing(coordinator):
    paper = make_statement(author=UserFactory(), state="voting", title="Läuft")
    ballot = Ballot.objects.get(statement=paper, closed_at__isnull=True)
    before = ballot.closes_at
    client = client_for(coordinator)
    earlier = _post(client, paper, before - timedelta(hours=2), reason="Mein Grund")
    assert earlier.status_code == 400
    assert "Mein Grund" in earlier.content.decode()
    assert _post(client, paper, before + timedelta(days=1), reason="").status_code == 400
    member = UserFactory()
    assert _post(client_for(member), paper, before + timedelta(days=1)).status_code == 403
    draft = make_statement(author=UserFactory(), title="Entwurf")
    assert _post(client, draft, before + timedelta(days=1)).status_code == 409
    ballot.refresh_from_db()
    assert ballot.closes_at == before
    assert not AuditEntry.objects.filter(transition="extend_voting").exists()


def test_the_voters_mail_names_the_new_deadline(coordinator):
    from notifications.builders import Loaded
    from notifications.emails import build

    UserFactory(display_name="Vera Wählerin", language="en")
    paper = make_statement(author=UserFactory(), state="voting", title="Läuft")
    ballot = Ballot.objects.get(statement=paper, closed_at__isnull=True)
    _post(client_for(coordinator), paper, ballot.closes_at + timedelta(days=3))
    row = Notification.objects.filter(
        kind="voting_extended", channel=Channel.EMAIL, recipient__language="en"
    ).first()
    message = build(row, Loaded([row]))
    assert "extended" in message.subject and "Läuft" in message.subject
