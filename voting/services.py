"""Every write about ballots and votes.

ballot_open and ballot_close are called by workflow.services.statement_transition
inside its transaction (statement row locked). vote_cast locks the ballot row, so
votes on one ballot, and a vote racing the close, are serialised; the unique
constraint (ballot, voter) is the database's backstop against a double vote.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.permissions import is_coordinator, is_member
from core.errors import ServiceError
from core.events import EventKind, emit
from statements.models import Statement
from voting import rules
from voting.forms import RULE_OPTIONS, default_options
from voting.models import Ballot, DecisionRule, EligibleVoter, QuorumKind, Vote
from voting.selectors import current_member_ids

logger = logging.getLogger(__name__)

REMINDER_BEFORE = timedelta(hours=24)


class DeadlineNotLater(ServiceError):
    status = 400
    message = _("Die neue Frist muss nach der bisherigen und in der Zukunft liegen.")


class VotingError(ServiceError):
    """Base for refused votes."""

    status = 409
    message = _("Die Stimme konnte nicht gespeichert werden.")


class NoOpenBallot(VotingError):
    status = 409
    message = _("Zu diesem Papier läuft keine Abstimmung.")


class VotingClosed(VotingError):
    status = 409
    message = _("Die Abstimmungsfrist ist abgelaufen. Stimmen können nicht mehr abgegeben werden.")


class NotEligible(VotingError):
    status = 403
    message = _("Sie sind bei dieser Abstimmung nicht stimmberechtigt.")


class InvalidChoice(VotingError):
    status = 400
    message = _("Diese Stimme ist bei dieser Entscheidungsregel nicht möglich.")


def _options(options: dict[str, Any], *, rules_chosen_by_coordinator: bool) -> dict[str, Any]:
    """Group defaults overlaid with what the opener may choose; validated like the form.

    The rule, quorum and silence thresholds decide the outcome, so only a coordinator
    may depart from the group's defaults; anyone else's values are dropped here, whatever
    the request carried (issue 13: an author rigged a silence ballot with 10,000).
    """
    merged = default_options()
    chosen = {k: v for k, v in (options or {}).items() if v is not None}
    if not rules_chosen_by_coordinator:
        chosen = {k: v for k, v in chosen.items() if k not in RULE_OPTIONS}
    merged.update(chosen)
    rule = DecisionRule(merged["rule"])
    kind = QuorumKind(merged["quorum_kind"])
    value = max(0, int(merged["quorum_value"] or 0))
    if kind == QuorumKind.SHARE:
        value = min(value, 100)
    if kind == QuorumKind.NONE:
        value = 0
    return {
        "rule": rule,
        "quorum_kind": kind,
        "quorum_value": value,
        "is_secret": bool(merged["is_secret"]),
        "silence_threshold": max(1, int(merged["silence_threshold"] or 1)),
        "single_block_suffices": bool(merged["single_block_suffices"]),
    }


def ballot_open(
    *,
    statement: Statement,
    opened_by: Any | None,
    closes_at: datetime,
    options: dict[str, Any],
) -> Ballot:
    """Open the next round on the paper's current revision; fix the eligible voters now.

    `closes_at` is the voting deadline (workflow.services chooses it: the opener's, or
    the group default from RTM_VOTING_DAYS / RTM_URGENT_VOTING_DAYS); it is fixed with
    the rule and the voters and is the only place the deadline is stored.
    """
    last_round = Ballot.objects.filter(statement=statement).aggregate(m=Max("round"))["m"] or 0
    now = timezone.now()
    member_ids = list(current_member_ids())
    chosen = _options(options, rules_chosen_by_coordinator=is_coordinator(opened_by))
    # More objections than voters could never reject: the threshold is at most the
    # number of eligible voters (the coordinator's form refuses more; this is the backstop
    # for the group default in a small group and for direct calls).
    chosen["silence_threshold"] = max(1, min(chosen["silence_threshold"], len(member_ids)))
    ballot = Ballot.objects.create(
        statement=statement,
        round=last_round + 1,
        revision_id=statement.current_revision_id,
        opened_by=opened_by if getattr(opened_by, "pk", None) else None,
        opened_at=now,
        closes_at=closes_at,
        **chosen,
    )
    EligibleVoter.objects.bulk_create(
        [EligibleVoter(ballot=ballot, user_id=pk) for pk in member_ids]
    )
    return ballot


def vote_cast(
    *, statement: Statement, voter: Any, choice: str, reason: str = "", now: datetime | None = None
) -> Vote:
    """Record or change `voter`'s vote on the paper's open ballot.

    Refused (VotingError subclasses) when there is no open ballot, after the
    deadline (even before the paper is formally closed), for anyone not fixed as
    eligible at opening or no longer an active member, and for a choice the rule
    does not offer.
    """
    reason = (reason or "").strip()[:300]
    with transaction.atomic():
        # The lock serialises all votes on this ballot and orders them against ballot_close.
        ballot = (
            Ballot.objects.select_for_update(of=("self",))
            .filter(statement_id=statement.pk, closed_at__isnull=True)
            .order_by()
            .first()
        )
        if ballot is None:
            raise NoOpenBallot
        now = now or timezone.now()
        if now >= ballot.closes_at:
            raise VotingClosed
        if not is_member(voter):
            raise NotEligible
        seat = EligibleVoter.objects.filter(ballot=ballot, user_id=voter.pk).first()
        if seat is None:
            raise NotEligible
        allowed = rules.allowed_choices(
            ballot.rule, single_block_suffices=ballot.single_block_suffices
        )
        if choice not in allowed:
            raise InvalidChoice
        # The ballot lock serialises this read-then-write per ballot; the unique
        # constraint (ballot, voter) would still refuse a second row if it did not.
        vote = Vote.objects.filter(ballot=ballot, voter_id=voter.pk).first()
        if vote is None:
            vote = Vote.objects.create(
                ballot=ballot,
                voter_id=voter.pk,
                choice=choice,
                reason=reason,
                created_at=now,
                updated_at=now,
            )
        elif (vote.choice, vote.reason) != (choice, reason):
            vote.choice, vote.reason, vote.updated_at = choice, reason, now
            vote.save(update_fields=["choice", "reason", "updated_at"])
        else:
            return vote  # the same vote again changes nothing
        if seat.voted_at is None:
            EligibleVoter.objects.filter(pk=seat.pk).update(voted_at=now)
    return vote


def ballot_close(
    *,
    statement: Statement,
    tally: rules.Counts | None = None,
    electorate: int | None = None,
) -> bool:
    """Count the open ballot by its rule, store the result, return whether adopted.

    A decision in a meeting passes the show of hands (`tally`) and the members present
    (`electorate`): the paper's rule and quorum apply to them instead of the online votes.
    """
    ballot = (
        Ballot.objects.select_for_update(of=("self",))
        .filter(statement_id=statement.pk, closed_at__isnull=True)
        .order_by()
        .first()
    )
    if ballot is None:
        # Nothing was voted on (should not happen: open_vote always opens a ballot).
        logger.warning("close_vote on statement %s without an open ballot", statement.pk)
        return False
    if tally is None:
        online = dict(
            Vote.objects.filter(ballot=ballot)
            .order_by()
            .values("choice")
            .annotate(n=Count("pk"))
            .values_list("choice", "n")
        )
        tally = rules.Counts.from_mapping(online)
    counts = tally
    eligible = (
        EligibleVoter.objects.filter(ballot=ballot).count() if electorate is None else electorate
    )
    result = rules.count(counts, eligible=eligible, config=rule_config(ballot))
    now = timezone.now()
    ballot.eligible_count = eligible
    ballot.count_yes = counts.yes
    ballot.count_no = counts.no
    ballot.count_abstain = counts.abstain
    ballot.count_block = counts.block
    ballot.count_object = counts.object
    ballot.turnout = counts.participants
    ballot.quorum_required = result.quorum_required
    ballot.quorum_met = result.quorum_met
    ballot.outcome = result.outcome
    ballot.closed_at = now
    ballot.save()
    if ballot.is_secret:
        # Keep only the counts: no row links a person to a choice once the vote is over,
        # and participation times are levelled so their order reveals nothing.
        Vote.objects.filter(ballot=ballot).delete()
        EligibleVoter.objects.filter(ballot=ballot, voted_at__isnull=False).update(voted_at=now)
    return result.adopted


def rule_config(ballot: Ballot) -> rules.RuleConfig:
    return rules.RuleConfig(
        rule=ballot.rule,
        quorum_kind=ballot.quorum_kind,
        quorum_value=ballot.quorum_value,
        silence_threshold=ballot.silence_threshold,
        single_block_suffices=ballot.single_block_suffices,
    )


def ballots_send_reminders(*, now: datetime | None = None) -> int:
    """Remind once per ballot closing within 24 h; safe to run twice at once."""
    now = now or timezone.now()
    sent = 0
    with transaction.atomic():
        due = (
            Ballot.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                closed_at__isnull=True,
                reminder_sent_at__isnull=True,
                closes_at__gt=now,
                closes_at__lte=now + REMINDER_BEFORE,
            )
            .select_related("statement")
            .order_by("closes_at")
        )
        for ballot in due:
            ballot.reminder_sent_at = now
            ballot.save(update_fields=["reminder_sent_at"])
            emit(EventKind.VOTING_REMINDER, statement=ballot.statement, target=ballot)
            sent += 1
    return sent


def ballot_extend(*, statement: Any, closes_at: datetime) -> Ballot:
    """Move the open ballot's deadline later (workflow.services.voting_extend is the caller,
    holding the statement's lock). Locks the ballot row, like casting, so a vote arriving
    at the old deadline and the extension serialise."""
    ballot = (
        Ballot.objects.select_for_update()
        .filter(statement_id=statement.pk, closed_at__isnull=True)
        .first()
    )
    if ballot is None:
        raise VotingError(_("Es läuft keine Abstimmung."))
    if closes_at <= ballot.closes_at or closes_at <= timezone.now():
        raise DeadlineNotLater()
    ballot.closes_at = closes_at
    ballot.reminder_sent_at = None  # the reminder before the new deadline is still due
    ballot.save(update_fields=["closes_at", "reminder_sent_at"])
    return ballot
