"""Helpers for tests and demo data: make an open ballot come out as wanted."""

from __future__ import annotations

from datetime import datetime

from accounts.models import User
from statements.models import Statement
from voting.models import Ballot, DecisionRule, VoteChoice
from voting.selectors import _seats_still_able_to_vote, open_ballot_for
from voting.services import vote_cast


def cast_votes_for_outcome(*, statement: Statement, adopt: bool) -> None:
    """Every eligible voter who still may vote votes so that the ballot is (not) adopted.

    Everyone voting also lets a coordinator close the ballot before the deadline.
    """
    ballot = open_ballot_for(statement)
    if ballot is None:
        return
    if ballot.rule == DecisionRule.SILENCE:
        against = VoteChoice.BLOCK if ballot.single_block_suffices else VoteChoice.OBJECT
        choice = VoteChoice.YES if adopt else against
    else:
        choice = VoteChoice.YES if adopt else VoteChoice.NO
    user_ids = list(_seats_still_able_to_vote(ballot).values_list("user_id", flat=True))
    for user in User.objects.filter(pk__in=user_ids):
        vote_cast(statement=statement, voter=user, choice=choice)


def set_voting_deadline(*, statement: Statement, when: datetime) -> None:
    """Move the open ballot's deadline (tests that need a vote past its deadline)."""
    Ballot.objects.filter(statement_id=statement.pk, closed_at__isnull=True).update(closes_at=when)
