"""Issue 13, item 4: authors cannot bend the decision rules.

The attack: an author alone submitted with a two-minute consultation, then opened the
vote with the silence procedure, an objection threshold of 10,000, no quorum and a
two-minute vote, and the paper was adopted with four objections out of six. Now the
rule, quorum and thresholds are the group's defaults unless a coordinator sets them,
and consultation and vote last at least the urgent lengths unless a coordinator cuts
them with a reason that goes into the audit trail.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from statements.models import Statement
from statements.states import State
from tests.factories import UserFactory
from voting.models import Ballot
from workflow.forms import DATETIME_LOCAL
from workflow.models import AuditEntry
from workflow.services import TransitionOptions, statement_transition

pytestmark = pytest.mark.django_db

RIGGED_BALLOT = {
    "ballot-rule": "silence",
    "ballot-quorum_kind": "none",
    "ballot-quorum_value": "0",
    "ballot-silence_threshold": "10000",
    "ballot-single_block_suffices": "",
}


def url(statement, name):
    return reverse("workflow:transition", kwargs={"slug": statement.slug, "name": name})


def local_in(**delta):
    return timezone.localtime(timezone.now() + timedelta(**delta)).strftime(DATETIME_LOCAL)


def consultation_over(statement):
    """The author may open the vote once the consultation deadline passed."""
    past = timezone.now() - timedelta(minutes=1)
    Statement.objects.filter(pk=statement.pk).update(consultation_ends_at=past)


def test_author_cannot_submit_with_a_two_minute_consultation(client_for, draft, author):
    data = {
        "expected_state": "draft",
        "consultation_ends_at": local_in(minutes=2),
        # A crafted field the author's form does not even offer.
        "short_deadline_reason": "Eilt",
    }
    response = client_for(author).post(url(draft, "submit"), data)
    assert response.status_code == 400
    page = response.content.decode()
    days = settings.RTM_URGENT_CONSULTATION_DAYS
    assert f"Die Konsultation dauert mindestens {days} Tage." in page
    assert data["consultation_ends_at"] in page  # the input is kept
    draft.refresh_from_db()
    assert draft.state == State.DRAFT


def test_author_rigged_vote_gets_group_defaults_and_minimum_length(
    client_for, in_consultation, author
):
    for _ in range(4):
        UserFactory()  # a group of several members, as in the attack
    consultation_over(in_consultation)
    client = client_for(author)
    page = client.get(url(in_consultation, "open_vote")).content.decode()
    assert 'name="ballot-rule"' not in page and 'name="ballot-silence_threshold"' not in page
    assert 'name="short_deadline_reason"' not in page
    assert "nur die Koordination kann sie für ein Papier ändern" in page

    rigged = {"expected_state": "consultation", "voting_ends_at": local_in(minutes=2)}
    response = client.post(url(in_consultation, "open_vote"), {**rigged, **RIGGED_BALLOT})
    assert response.status_code == 400
    assert f"mindestens {settings.RTM_URGENT_VOTING_DAYS} Tage" in response.content.decode()
    assert not Ballot.objects.exists()

    rigged["voting_ends_at"] = local_in(days=settings.RTM_URGENT_VOTING_DAYS, minutes=5)
    response = client.post(url(in_consultation, "open_vote"), {**rigged, **RIGGED_BALLOT})
    assert response.status_code == 302
    ballot = Ballot.objects.get(statement=in_consultation)
    assert ballot.rule == settings.RTM_DEFAULT_DECISION_RULE
    assert (ballot.quorum_kind, ballot.quorum_value) == ("share", 25)
    assert ballot.silence_threshold <= ballot.eligible_voters.count()
    assert ballot.closes_at >= timezone.now() + timedelta(days=settings.RTM_URGENT_VOTING_DAYS)


def test_service_drops_an_authors_ballot_options(in_consultation, author):
    consultation_over(in_consultation)
    statement_transition(
        statement_id=in_consultation.pk,
        name="open_vote",
        actor=author,
        options=TransitionOptions(
            ballot={
                "rule": "silence",
                "quorum_kind": "none",
                "silence_threshold": 10000,
                "is_secret": True,
            }
        ),
    )
    ballot = Ballot.objects.get(statement=in_consultation)
    assert (ballot.rule, ballot.quorum_kind) == (settings.RTM_DEFAULT_DECISION_RULE, "share")
    assert ballot.is_secret  # secrecy stays the opener's choice


def test_service_refuses_an_authors_short_deadline(draft, author):
    from workflow.services import DeadlineTooShort

    with pytest.raises(DeadlineTooShort):
        statement_transition(
            statement_id=draft.pk,
            name="submit",
            actor=author,
            options=TransitionOptions(
                consultation_ends_at=timezone.now() + timedelta(minutes=2),
                short_deadline_reason="Eilt",
            ),
        )
    assert Statement.objects.get(pk=draft.pk).state == State.DRAFT


def test_coordinator_shortens_only_with_a_reason_in_the_trail(
    client_for, in_consultation, coordinator
):
    client = client_for(coordinator)
    data = {
        "expected_state": "consultation",
        "voting_ends_at": local_in(hours=2),
        "ballot-rule": "majority",
        "ballot-quorum_kind": "share",
        "ballot-quorum_value": "25",
        "ballot-silence_threshold": "3",
    }
    response = client.post(url(in_consultation, "open_vote"), data)
    assert response.status_code == 400
    assert "Bitte begründen Sie, warum die Frist kürzer" in response.content.decode()
    assert not Ballot.objects.exists()

    data["short_deadline_reason"] = "Kreistag tagt morgen früh"
    response = client.post(url(in_consultation, "open_vote"), data)
    assert response.status_code == 302
    entry = AuditEntry.objects.get(statement=in_consultation, transition="shorten_voting")
    assert (entry.actor, entry.note) == (coordinator, "Kreistag tagt morgen früh")
    assert entry.scheduled_for == Ballot.objects.get(statement=in_consultation).closes_at
    page = client.get(in_consultation.get_absolute_url()).content.decode()
    assert "Abstimmung verkürzt bis" in page and "Kreistag tagt morgen früh" in page


def test_coordinator_silence_threshold_above_voters_is_a_form_error(
    client_for, in_consultation, coordinator
):
    data = {
        "expected_state": "consultation",
        "voting_ends_at": local_in(days=7),
        **RIGGED_BALLOT,
    }
    response = client_for(coordinator).post(url(in_consultation, "open_vote"), data)
    assert response.status_code == 400
    assert "Höchstens so viele Einsprüche, wie es Stimmberechtigte gibt" in (
        response.content.decode()
    )
    assert 'value="10000"' in response.content.decode()  # the input is kept
    assert not Ballot.objects.exists()


def test_silence_threshold_is_clamped_to_the_eligible_voters(in_consultation, coordinator):
    """The backstop for direct calls and for a group default larger than the group."""
    statement_transition(
        statement_id=in_consultation.pk,
        name="open_vote",
        actor=coordinator,
        options=TransitionOptions(ballot={"rule": "silence", "silence_threshold": 10000}),
    )
    ballot = Ballot.objects.get(statement=in_consultation)
    assert ballot.rule == "silence"
    assert ballot.silence_threshold == ballot.eligible_voters.count()
