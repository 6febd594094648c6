"""Demo votes: the demo members vote on the demo paper that is in voting (idempotent).

Amira and Jonas vote; Lena has not voted yet, so her dashboard shows a waiting vote.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from accounts.models import User
from statements.models import Statement
from statements.states import State
from voting.models import VoteChoice
from voting.rules import allowed_choices
from voting.selectors import open_ballot_for
from voting.services import VotingError, vote_cast

DEMO_VOTES = (
    ("amira@example.org", VoteChoice.YES, "Wichtiges Signal an den Kreistag."),
    ("jonas@example.org", VoteChoice.ABSTAIN, ""),
)


def seed(*, stdout: Any = None, papers: Collection[int] = ()) -> None:
    """Votes on the demo papers in voting (`papers`: the ids seed_demo made)."""
    cast = 0
    for statement in Statement.objects.filter(state=State.VOTING, pk__in=papers).order_by("pk"):
        ballot = open_ballot_for(statement)
        if ballot is None:
            continue
        allowed = allowed_choices(ballot.rule, single_block_suffices=ballot.single_block_suffices)
        for email, choice, reason in DEMO_VOTES:
            voter = User.objects.filter(email=email).first()
            if voter is None or choice not in allowed:
                continue
            try:
                # Re-casting the same choice leaves the vote as it was: idempotent.
                vote_cast(statement=statement, voter=voter, choice=choice, reason=reason)
                cast += 1
            except VotingError:
                continue  # deadline passed or not eligible: leave it
    if stdout is not None:
        stdout.write(f"voting: {cast} demo votes in place")
