"""Opening, casting, changing, closing: what members and coordinators would notice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import UserFactory
from voting import selectors
from voting.models import Ballot, EligibleVoter, Vote
from voting.services import (
    InvalidChoice,
    NotEligible,
    VotingClosed,
    ballots_send_reminders,
    vote_cast,
)
from voting.testing import set_voting_deadline
from workflow.services import statement_transition

pytestmark = pytest.mark.django_db


def expire(statement) -> None:
    """Let the voting deadline pass."""
    set_voting_deadline(statement=statement, when=timezone.now() - timedelta(minutes=1))


def close(statement, actor=None):
    """Close as `actor`, or (None) as the system at the deadline."""
    if actor is None:
        expire(statement)
    statement_transition(statement_id=statement.pk, name="close_vote", actor=actor)
    statement.refresh_from_db()
    return Ballot.objects.get(statement=statement, round=1)


def test_open_fixes_rule_revision_deadline_and_voters(open_paper, member, coordinator):
    ends = timezone.now() + timedelta(days=5)
    paper = open_paper(
        voting_ends_at=ends,
        rule="two_thirds",
        quorum_kind="absolute",
        quorum_value=2,
        is_secret=True,
    )
    ballot = Ballot.objects.get(statement=paper)
    assert (ballot.rule, ballot.quorum_kind, ballot.quorum_value, ballot.is_secret) == (
        "two_thirds",
        "absolute",
        2,
        True,
    )
    assert ballot.revision_id == paper.current_revision_id
    assert ballot.closes_at == ends
    assert selectors.voting_deadline(paper) == ends
    assert ballot.opened_by == coordinator
    assert member.pk in selectors.eligible_voter_ids(ballot)


def test_defaults_come_from_settings(open_paper, settings):
    settings.RTM_DEFAULT_DECISION_RULE = "consensus"
    settings.RTM_DEFAULT_QUORUM_PERCENT = 40
    ballot = Ballot.objects.get(statement=open_paper())
    assert (ballot.rule, ballot.quorum_kind, ballot.quorum_value) == ("consensus", "share", 40)


def test_one_vote_per_member_changeable_until_deadline(open_paper, member):
    paper = open_paper()
    vote_cast(statement=paper, voter=member, choice="yes")
    vote_cast(statement=paper, voter=member, choice="no", reason="doch nicht")
    vote = Vote.objects.get()
    assert (vote.choice, vote.reason) == ("no", "doch nicht")


def test_late_member_suspended_and_registered_are_refused(
    open_paper, member, suspended, registered
):
    paper = open_paper()
    late = UserFactory()
    member.membership_status = "suspended"
    member.save()
    for person in (late, member, suspended, registered):
        with pytest.raises(NotEligible):
            vote_cast(statement=paper, voter=person, choice="yes")
    assert not Vote.objects.exists()


def test_vote_after_deadline_refused_even_before_close(open_paper, member):
    paper = open_paper()
    with pytest.raises(VotingClosed):
        vote_cast(
            statement=paper,
            voter=member,
            choice="yes",
            now=selectors.voting_deadline(paper) + timedelta(seconds=1),
        )
    assert not Vote.objects.exists()


@pytest.mark.parametrize(
    ("rule", "bad"),
    [
        ("majority", "block"),
        ("majority", "object"),
        ("consensus", "object"),
        ("silence", "no"),
        ("silence", "block"),
        ("two_thirds", "maybe"),
    ],
)
def test_choice_must_fit_the_rule(open_paper, member, rule, bad):
    paper = open_paper(rule=rule)
    with pytest.raises(InvalidChoice):
        vote_cast(statement=paper, voter=member, choice=bad)
    assert not Vote.objects.exists()


def test_close_stores_result_and_moves_state(open_paper, member, author, coauthor, coordinator):
    paper = open_paper(rule="majority", quorum_kind="share", quorum_value=50)
    vote_cast(statement=paper, voter=member, choice="yes", reason="gut")
    vote_cast(statement=paper, voter=author, choice="yes")
    vote_cast(statement=paper, voter=coauthor, choice="abstain")
    vote_cast(statement=paper, voter=coordinator, choice="no")
    ballot = close(paper, coordinator)
    assert paper.state == "accepted"
    assert (ballot.count_yes, ballot.count_no, ballot.count_abstain) == (2, 1, 1)
    assert (ballot.turnout, ballot.eligible_count, ballot.quorum_met, ballot.outcome) == (
        4,
        4,
        True,
        "adopted",
    )
    assert Vote.objects.filter(ballot=ballot).count() == 4  # open ballot: votes stay on record


def test_quorum_missed_rejects(open_paper, member, crowd):
    crowd(6)
    paper = open_paper(quorum_kind="share", quorum_value=50)  # 10 eligible → 5 needed
    vote_cast(statement=paper, voter=member, choice="yes")
    ballot = close(paper)
    assert (paper.state, ballot.outcome, ballot.quorum_required) == ("rejected", "no_quorum", 5)


def test_secret_ballot_keeps_only_counts_after_close(open_paper, member, author):
    paper = open_paper(is_secret=True, quorum_kind="none")
    vote_cast(statement=paper, voter=member, choice="yes")
    vote_cast(statement=paper, voter=author, choice="no")
    ballot = close(paper)
    assert (ballot.count_yes, ballot.count_no, ballot.turnout) == (1, 1, 2)
    assert not Vote.objects.filter(ballot=ballot).exists()
    times = set(
        EligibleVoter.objects.filter(ballot=ballot, voted_at__isnull=False).values_list(
            "voted_at", flat=True
        )
    )
    assert times == {ballot.closed_at}


def test_early_close_only_once_everyone_voted(open_paper, member, author, coauthor, coordinator):
    from workflow.services import TransitionError

    paper = open_paper()
    ballot = selectors.open_ballot_for(paper)
    assert not selectors.ballot_can_close(paper)
    with pytest.raises(TransitionError):
        statement_transition(statement_id=paper.pk, name="close_vote", actor=coordinator)
    for person in (member, author, coauthor, coordinator):
        assert ballot in selectors.ballots_waiting_for(person)
        vote_cast(statement=paper, voter=person, choice="yes")
        assert ballot not in selectors.ballots_waiting_for(person)
    assert selectors.ballot_can_close(paper)
    assert close(paper, coordinator).outcome == "adopted"


def test_suspended_non_voter_does_not_hold_up_early_close(
    open_paper, member, author, coauthor, coordinator
):
    paper = open_paper()
    for person in (author, coauthor, coordinator):
        vote_cast(statement=paper, voter=person, choice="yes")
    ballot = selectors.open_ballot_for(paper)
    assert selectors.eligible_non_voter_ids(ballot) == [member.pk]
    member.membership_status = "suspended"
    member.save()
    assert selectors.eligible_non_voter_ids(ballot) == []
    assert selectors.ballot_can_close(paper)


def test_revised_paper_gets_a_new_round_old_one_stays(open_paper, member, author, coordinator):
    from tests.factories import advance
    from voting.testing import cast_votes_for_outcome

    paper = open_paper()
    cast_votes_for_outcome(statement=paper, adopt=False)
    close(paper, coordinator)
    assert paper.state == "rejected"
    statement_transition(statement_id=paper.pk, name="revise", actor=author)
    paper.refresh_from_db()
    advance(paper, "voting")
    rounds = list(
        Ballot.objects.filter(statement=paper).order_by("round").values_list("round", "outcome")
    )
    assert rounds == [(1, "rejected"), (2, "")]


def test_reminders_once_for_ballots_closing_within_a_day(open_paper, monkeypatch):
    emitted = []
    monkeypatch.setattr(
        "voting.services.emit", lambda kind, **kw: emitted.append((kind, kw["target"].pk))
    )
    soon = open_paper(voting_ends_at=timezone.now() + timedelta(hours=5))
    open_paper(voting_ends_at=timezone.now() + timedelta(days=3))
    assert ballots_send_reminders() == 1
    assert ballots_send_reminders() == 0
    ballot = selectors.open_ballot_for(soon)
    assert emitted == [("voting_reminder", ballot.pk)]
    ballot.refresh_from_db()
    assert ballot.reminder_sent_at is not None


def test_reminder_task_runs_the_service(open_paper):
    from voting.tasks import send_vote_reminders

    open_paper(voting_ends_at=timezone.now() + timedelta(hours=2))
    assert send_vote_reminders.delay().get() == 1


ALL_CHOICES = ("yes", "no", "abstain", "block", "object")


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rule=st.sampled_from(["majority", "two_thirds", "consensus", "silence"]),
    actions=st.lists(st.tuples(st.integers(0, 3), st.sampled_from(ALL_CHOICES)), max_size=10),
)
def test_stored_result_counts_each_voters_last_valid_choice(
    open_paper, member, author, coauthor, coordinator, rule, actions
):
    from collections import Counter

    from voting import rules

    people = [member, author, coauthor, coordinator]
    paper = open_paper(rule=rule, quorum_kind="none")
    allowed = rules.allowed_choices(rule)
    last: dict[int, str] = {}
    for who, choice in actions:
        try:
            vote_cast(statement=paper, voter=people[who], choice=choice)
            last[who] = choice
        except InvalidChoice:
            assert choice not in allowed
    ballot = close(paper)
    tally = Counter(last.values())
    assert {c: getattr(ballot, f"count_{c}") for c in ALL_CHOICES} == {
        c: tally.get(c, 0) for c in ALL_CHOICES
    }
    assert ballot.turnout == len(last)
    expected = rules.count(
        rules.Counts(**{c: tally.get(c, 0) for c in ALL_CHOICES}),
        eligible=4,
        config=rules.RuleConfig(rule=rule, silence_threshold=ballot.silence_threshold),
    )
    assert ballot.outcome == expected.outcome
    assert paper.state == ("accepted" if expected.adopted else "rejected")


def test_ballots_waiting_for_is_one_query(open_paper, member, django_assert_num_queries):
    for _ in range(3):
        open_paper()
    with django_assert_num_queries(1):
        waiting = selectors.ballots_waiting_for(member)
        titles = [(b.statement.title, b.closes_at) for b in waiting]
    assert len(titles) == 3


def test_silence_procedure_end_to_end(open_paper, member, author, coauthor, coordinator):
    paper = open_paper(rule="silence", silence_threshold=2, quorum_kind="share", quorum_value=90)
    vote_cast(statement=paper, voter=member, choice="object", reason="Zu scharf formuliert")
    ballot = close(paper)  # one objection < 2, and silence ignores the 90 % quorum
    assert (paper.state, ballot.outcome, ballot.quorum_met, ballot.count_object) == (
        "accepted",
        "adopted",
        None,
        1,
    )
