"""One voting deadline (the open ballot's closes_at) for beat, casting, early close and the
panels, and its default length from RTM_VOTING_DAYS / RTM_URGENT_VOTING_DAYS."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import dateformat, timezone

from statements.states import State
from tests.factories import make_statement
from voting.models import Ballot, Vote
from voting.selectors import voting_deadline
from voting.testing import cast_votes_for_outcome, set_voting_deadline
from workflow.models import AuditEntry
from workflow.services import (
    TransitionInvalid,
    TransitionNotPermitted,
    run_due_work,
    statement_mark_urgent,
    statement_transition,
)

pytestmark = pytest.mark.django_db


@contextmanager
def clock(at: datetime) -> Iterator[None]:
    with mock.patch("django.utils.timezone.now", return_value=at):
        yield


def open_vote(statement, coordinator):
    statement_transition(statement_id=statement.pk, name="open_vote", actor=coordinator)
    statement.refresh_from_db()
    return statement


def test_beat_closes_at_the_ballots_deadline_and_not_before(in_consultation, coordinator):
    paper = open_vote(in_consultation, coordinator)
    ends = Ballot.objects.get(statement=paper).closes_at
    with clock(ends - timedelta(seconds=1)):
        assert run_due_work().closed == []
    assert Ballot.objects.get(statement=paper).closed_at is None
    with clock(ends):
        assert run_due_work().closed == [paper.pk]
    paper.refresh_from_db()
    assert paper.state in (State.ACCEPTED, State.REJECTED)
    assert Ballot.objects.get(statement=paper).closed_at == ends
    assert AuditEntry.objects.get(statement=paper, transition="close_vote").is_system


def test_moving_the_ballots_deadline_moves_the_close(in_consultation, coordinator):
    """Beat has no other deadline to read: the ballot's is the one that counts."""
    paper = open_vote(in_consultation, coordinator)
    assert run_due_work().closed == []
    set_voting_deadline(statement=paper, when=timezone.now() - timedelta(seconds=1))
    assert run_due_work().closed == [paper.pk]


def test_casting_after_the_deadline_is_refused(in_consultation, coordinator, member, client_for):
    paper = open_vote(in_consultation, coordinator)
    ends = voting_deadline(paper)
    url = reverse("voting:vote", kwargs={"slug": paper.slug})
    client = client_for(member)
    with clock(ends - timedelta(seconds=1)):
        assert client.post(url, {"choice": "yes"}).status_code == 302
    with clock(ends):
        response = client.post(url, {"choice": "no"})
    assert response.status_code == 409
    assert "Die Abstimmungsfrist ist abgelaufen" in response.content.decode()
    assert Vote.objects.get(ballot__statement=paper).choice == "yes"


def test_early_close_only_when_everyone_voted_and_never_by_the_system(in_consultation, coordinator):
    paper = open_vote(in_consultation, coordinator)
    with pytest.raises(TransitionInvalid) as refused:
        statement_transition(statement_id=paper.pk, name="close_vote", actor=coordinator)
    assert "wenn alle Stimmberechtigten abgestimmt haben" in str(refused.value.message)

    cast_votes_for_outcome(statement=paper, adopt=True)
    # Everyone voted, but the system acts only at the deadline.
    with pytest.raises(TransitionNotPermitted):
        statement_transition(statement_id=paper.pk, name="close_vote", actor=None)
    assert run_due_work().closed == []

    statement_transition(statement_id=paper.pk, name="close_vote", actor=coordinator)
    paper.refresh_from_db()
    ballot = Ballot.objects.get(statement=paper)
    assert paper.state == State.ACCEPTED
    assert ballot.closed_at < ballot.closes_at


def test_both_panels_show_the_ballots_deadline(in_consultation, coordinator, member, client_for):
    paper = open_vote(in_consultation, coordinator)
    ends = timezone.now() + timedelta(days=3, hours=5)
    set_voting_deadline(statement=paper, when=ends)
    page = client_for(member).get(paper.get_absolute_url()).content.decode()
    stamp = f'<time datetime="{dateformat.format(timezone.localtime(ends), "c")}">'
    workflow_panel = page.split('class="card workflow-panel"', 1)[1].split("</section>", 1)[0]
    voting_panel = page.split('class="card voting-panel"', 1)[1].split("</section>", 1)[0]
    assert "Abstimmung endet" in workflow_panel and stamp in workflow_panel
    assert stamp in voting_panel


@pytest.mark.parametrize("days", [4, 11])
def test_the_configured_voting_length_is_the_default(
    days, settings, in_consultation, coordinator, client_for
):
    settings.RTM_VOTING_DAYS = days
    page = client_for(coordinator).get(
        reverse("workflow:transition", kwargs={"slug": in_consultation.slug, "name": "open_vote"})
    )
    assert f"Standard: {days} Tage ab jetzt." in page.content.decode()
    now = timezone.now()
    with clock(now):
        paper = open_vote(in_consultation, coordinator)
    assert voting_deadline(paper) == now + timedelta(days=days)


def test_urgent_papers_get_the_configured_urgent_length(settings, in_consultation, coordinator):
    settings.RTM_URGENT_VOTING_DAYS = 3
    statement_mark_urgent(statement_id=in_consultation.pk, actor=coordinator, reason="Kreistag")
    now = timezone.now()
    with clock(now):
        paper = open_vote(in_consultation, coordinator)
    assert voting_deadline(paper) == now + timedelta(days=3)


def test_a_new_round_gets_a_new_deadline_and_the_old_one_stays(author, coordinator):
    paper = make_statement(author=author, state="rejected")
    first = Ballot.objects.get(statement=paper)
    statement_transition(statement_id=paper.pk, name="revise", actor=author)
    statement_transition(statement_id=paper.pk, name="submit", actor=author)
    later = timezone.now() + timedelta(days=1)
    with clock(later):
        open_vote(paper, coordinator)
    second = Ballot.objects.get(statement=paper, round=2)
    assert voting_deadline(paper) == second.closes_at > first.closes_at
    assert Ballot.objects.get(pk=first.pk).closes_at == first.closes_at


def test_the_migration_keeps_the_deadline_beat_used(transactional_db):
    """Where paper and open ballot disagreed, the paper's deadline (beat's) moves to the ballot;
    closed rounds keep theirs."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [
        ("statements", "0002_statement_withdrawn_from"),
        ("voting", "0003_alter_ballot_revision"),
    ]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    OldStatement = apps.get_model("statements", "Statement")
    OldBallot = apps.get_model("voting", "Ballot")
    beat_deadline = timezone.now() + timedelta(days=2)
    stale = timezone.now() + timedelta(days=9)
    paper = OldStatement.objects.create(
        slug="alt", title="Alt", state="voting", voting_ends_at=beat_deadline
    )
    old_round = OldBallot.objects.create(
        statement=paper, round=1, rule="majority", closes_at=stale, closed_at=timezone.now()
    )
    open_round = OldBallot.objects.create(
        statement=paper, round=2, rule="majority", closes_at=stale
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert Ballot.objects.get(pk=open_round.pk).closes_at == beat_deadline
    assert Ballot.objects.get(pk=old_round.pk).closes_at == stale
