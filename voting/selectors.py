"""Read queries about ballots that other pages share (dashboard, notifications, workflow)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.models import User, member_q
from accounts.permissions import is_member
from voting.models import Ballot, EligibleVoter


def current_member_ids() -> QuerySet:
    """The people who would be eligible if a ballot opened now: active members."""
    return User.objects.members().values_list("pk", flat=True)


def ballots_waiting_for(user: Any) -> list[Ballot]:
    """Open ballots where `user` is eligible and has not voted yet, soonest deadline first.

    One query; each ballot comes with its statement (render ballot.statement, ballot.closes_at).
    """
    if not is_member(user):
        return []
    return list(
        Ballot.objects.filter(
            closed_at__isnull=True,
            closes_at__gt=timezone.now(),
            eligible_voters__user=user,
            eligible_voters__voted_at__isnull=True,
        )
        .select_related("statement")
        .order_by("closes_at", "pk")
    )


def _seats_still_able_to_vote(ballot: Ballot) -> QuerySet[EligibleVoter]:
    """Seats whose person still exists and is still an active member."""
    return EligibleVoter.objects.filter(member_q("user__"), ballot=ballot)


def eligible_voter_ids(ballot: Ballot) -> list[int]:
    """User ids fixed as eligible when the ballot opened (accounts deleted since are left out)."""
    return list(
        EligibleVoter.objects.filter(ballot=ballot, user__isnull=False)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )


def eligible_non_voter_ids(ballot: Ballot) -> list[int]:
    """Eligible user ids that have not voted yet and still may (for reminders)."""
    return list(
        _seats_still_able_to_vote(ballot)
        .filter(voted_at__isnull=True)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )


def open_ballot_for(statement: Any) -> Ballot | None:
    """The statement's currently open ballot, if any."""
    return Ballot.objects.filter(statement_id=statement.pk, closed_at__isnull=True).first()


def voting_deadline(statement: Any) -> datetime | None:
    """When voting on the paper ends: its open ballot's `closes_at`, the one deadline that
    beat, casting, early close and the panels read (None: no open ballot)."""
    return (
        Ballot.objects.filter(statement_id=statement.pk, closed_at__isnull=True)
        .values_list("closes_at", flat=True)
        .first()
    )


def statements_past_voting_deadline(now: datetime) -> QuerySet:
    """Ids of papers whose open ballot's deadline has passed, earliest deadline first."""
    return (
        Ballot.objects.filter(closed_at__isnull=True, closes_at__lte=now)
        .order_by("closes_at", "pk")
        .values_list("statement_id", flat=True)
    )


def ballot_can_close(statement: Any) -> bool:
    """True when the open ballot may be closed now: deadline passed or every eligible voter voted.

    Eligible voters who can no longer vote (suspended, account deleted) do not hold
    an early close up; the deadline closes the ballot in any case.
    """
    ballot = open_ballot_for(statement)
    if ballot is None:
        # No ballot to wait for (papers from before voting existed): nothing holds the close.
        return True
    if ballot.closes_at <= timezone.now():
        return True
    return not _seats_still_able_to_vote(ballot).filter(voted_at__isnull=True).exists()


def ballots_with_turnout(statement: Any) -> list[Ballot]:
    """All rounds of a statement, newest first, each annotated with n_eligible and n_voted."""
    return list(
        Ballot.objects.filter(statement_id=statement.pk)
        .annotate(
            n_eligible=Count("eligible_voters"),
            n_voted=Count("eligible_voters", filter=Q(eligible_voters__voted_at__isnull=False)),
        )
        .select_related("revision")
        .order_by("-round")
    )
