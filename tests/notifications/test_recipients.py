"""Who gets what, per kind (through the other apps' real services)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail

from notifications.models import Channel, Kind, Mode, Notification, Preference
from tests.factories import UserFactory, make_statement

pytestmark = pytest.mark.django_db


def mailed(kind: str) -> set[str]:
    return set(
        Notification.objects.filter(kind=kind, channel=Channel.EMAIL).values_list(
            "recipient__email", flat=True
        )
    )


def test_voting_opened_goes_to_eligible_voters_and_the_reminder_to_non_voters_only(
    author, django_capture_on_commit_callbacks
):
    from voting.services import ballots_send_reminders, vote_cast

    voter = UserFactory()
    lazy = UserFactory()
    registered = UserFactory(membership_status="registered")
    statement = make_statement(author=author, state="voting")
    opened = mailed(Kind.VOTING_OPENED)
    assert {voter.email, lazy.email} <= opened and registered.email not in opened
    vote_cast(statement=statement, voter=voter, choice="yes")
    ballot = statement.ballots.get()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ballots_send_reminders(now=ballot.closes_at - timedelta(hours=12))
    reminded = mailed(Kind.VOTING_REMINDER)
    assert lazy.email in reminded and voter.email not in reminded
    assert lazy.email in [m.to[0] for m in mail.outbox]
    [message] = [m for m in mail.outbox if m.to == [lazy.email]]
    assert "#abstimmung" in message.body


def test_admission_mail_reaches_coordinators_and_then_the_applicant_even_when_switched_off(
    coordinator, django_capture_on_commit_callbacks
):
    from accounts.services import admission_decide, admission_request_create

    applicant = UserFactory(membership_status="registered", display_name="Neue Person")
    Preference.objects.create(user=coordinator, kind=Kind.ADMISSION_REQUESTED, mode=Mode.OFF)
    member = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        request = admission_request_create(
            user=applicant, organisation_text="Initiative", reason="Ich helfe mit"
        )
    asked = [m for m in mail.outbox if "Aufnahmeantrag" in m.subject]
    assert [m.to for m in asked] == [[coordinator.email]]
    assert "Neue Person" in asked[0].subject
    assert "List-Unsubscribe" not in asked[0].extra_headers  # cannot be switched off
    assert member.email not in mailed(Kind.ADMISSION_REQUESTED)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        admission_decide(
            admission_request_id=request.pk,
            coordinator=coordinator,
            admit=True,
            message="Herzlich willkommen!",
        )
    assert [m.to for m in mail.outbox] == [[applicant.email]]
    assert "Herzlich willkommen!" in mail.outbox[0].body


def test_coauthor_invitation_reaches_the_invited_member(author, django_capture_on_commit_callbacks):
    from statements.services import coauthor_add

    statement = make_statement(author=author, state="draft", title="Mitschreiben")
    invited = UserFactory(language="en")
    with django_capture_on_commit_callbacks(execute=True):
        coauthor_add(statement=statement, user=invited, added_by=author)
    [message] = mail.outbox
    assert message.to == [invited.email] and "co-writing" in message.subject
