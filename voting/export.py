"""This person's voting data for their personal data export (collected by accounts).

Open ballots: the person's own choices and reasons. Secret ballots: only whether
they took part, never a choice, also not their own while the vote runs.
"""

from __future__ import annotations

from typing import Any

from statements.export import readable, title_for
from voting.models import EligibleVoter, Vote


def user_data(user: Any) -> dict[str, Any]:
    # A rejected paper revised back to draft may carry a new title: shown only if visible.
    open_votes = list(
        Vote.objects.filter(voter=user, ballot__is_secret=False)
        .select_related("ballot__statement")
        .order_by("created_at", "pk")
    )
    seats = list(
        EligibleVoter.objects.filter(user=user, ballot__is_secret=True)
        .select_related("ballot__statement")
        .order_by("ballot__opened_at", "pk")
    )
    visible = readable(
        user, [v.ballot.statement for v in open_votes] + [s.ballot.statement for s in seats]
    )
    votes = [
        {
            "statement": title_for(vote.ballot.statement, visible),
            "round": vote.ballot.round,
            "choice": vote.choice,
            "reason": vote.reason,
            "cast_at": vote.created_at.isoformat(),
            "changed_at": vote.updated_at.isoformat(),
        }
        for vote in open_votes
    ]
    secret = [
        {
            "statement": title_for(seat.ballot.statement, visible),
            "round": seat.ballot.round,
            "voted": seat.voted_at is not None,
        }
        for seat in seats
    ]
    return {"votes_in_open_ballots": votes, "participation_in_secret_ballots": secret}
