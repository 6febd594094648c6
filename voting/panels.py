"""Context for the voting panel on the statement page (see statements/panels.py).

Query budget, independent of the number of voters: 1 (all rounds with turnout)
+ while open, for a member: 1 (own seat) + 1 (own vote)
+ after close of an open (non-secret) ballot: 1 (the votes with names).
No partial results are ever loaded while a ballot is open.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.permissions import is_member
from statements.models import Statement
from voting import rules
from voting.models import Ballot, DecisionRule, EligibleVoter, QuorumKind, Vote, VoteChoice
from voting.selectors import ballots_with_turnout


def rule_explanation(ballot: Ballot) -> str:
    """The rule and quorum of `ballot` in plain words."""
    if ballot.rule == DecisionRule.SILENCE:
        text = ngettext(
            "Angenommen, wenn bis zum Ende der Frist kein Einspruch eingeht.",
            "Angenommen, wenn bis zum Ende der Frist weniger als %(n)d Einsprüche eingehen.",
            ballot.silence_threshold,
        ) % {"n": ballot.silence_threshold}
        if ballot.single_block_suffices:
            text += " " + _("Ein einzelnes Veto verhindert die Annahme.")
        return text + " " + _("Beim Schweigeverfahren gilt kein Quorum.")
    text = {
        DecisionRule.MAJORITY: _("Angenommen, wenn mehr Ja- als Nein-Stimmen abgegeben werden."),
        DecisionRule.TWO_THIRDS: _(
            "Angenommen, wenn mindestens zwei Drittel der Ja- und Nein-Stimmen Ja sind "
            "(und mindestens eine Ja-Stimme abgegeben wird)."
        ),
        DecisionRule.CONSENSUS: _(
            "Angenommen, wenn niemand ein Veto einlegt und mehr Ja- als Nein-Stimmen "
            "abgegeben werden."
        ),
    }[DecisionRule(ballot.rule)]
    text += " " + _("Enthaltungen zählen für das Quorum, nicht für die Mehrheit.")
    if ballot.quorum_kind == QuorumKind.SHARE:
        text += " " + _(
            "Quorum: mindestens %(percent)d %% der Stimmberechtigten müssen teilnehmen."
        ) % {"percent": ballot.quorum_value}
    elif ballot.quorum_kind == QuorumKind.ABSOLUTE:
        text += " " + ngettext(
            "Quorum: mindestens %(n)d stimmberechtigte Person muss teilnehmen.",
            "Quorum: mindestens %(n)d Stimmberechtigte müssen teilnehmen.",
            ballot.quorum_value,
        ) % {"n": ballot.quorum_value}
    else:
        text += " " + _("Kein Quorum.")
    return text


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


class ResultRow(NamedTuple):
    """One line of a counted ballot. `percent` (of the votes cast, whole numbers) draws the
    bar beside the number; the number itself is always written out."""

    choice: str
    label: str
    count: int
    percent: int


def _result_rows(ballot: Ballot) -> list[ResultRow]:
    shown = rules.allowed_choices(ballot.rule, single_block_suffices=ballot.single_block_suffices)
    counts = {choice: getattr(ballot, f"count_{choice.value}") for choice in VoteChoice}
    cast = sum(counts.values())
    return [
        ResultRow(choice.value, choice.label, n, _percent(n, cast))
        for choice, n in counts.items()
        if choice in shown or n
    ]


def panel_context(request: HttpRequest, statement: Statement) -> dict[str, Any]:
    ballots = ballots_with_turnout(statement)
    if not ballots:
        return {"voting_ballot": None}
    ballot, earlier = ballots[0], ballots[1:]
    user = request.user
    now = timezone.now()
    context: dict[str, Any] = {
        "voting_ballot": ballot,
        "voting_earlier": [
            {"ballot": b, "explanation": rule_explanation(b), "rows": _result_rows(b)}
            for b in earlier
        ],
        "voting_explanation": rule_explanation(ballot),
        "voting_turnout_percent": _percent(ballot.n_voted, ballot.n_eligible),
        "voting_deadline_passed": ballot.closes_at <= now,
        "voting_is_eligible": False,
        "voting_can_vote": False,
        "voting_my_vote": None,
        "voting_choices": [],
        "voting_votes": [],
        "voting_result_rows": [],
    }
    if ballot.is_open:
        if is_member(user):
            eligible = EligibleVoter.objects.filter(ballot=ballot, user_id=user.pk).exists()
            my_vote = Vote.objects.filter(ballot=ballot, voter_id=user.pk).first()
            context["voting_is_eligible"] = eligible
            context["voting_can_vote"] = eligible and not context["voting_deadline_passed"]
            context["voting_my_vote"] = my_vote
            allowed = rules.allowed_choices(
                ballot.rule, single_block_suffices=ballot.single_block_suffices
            )
            context["voting_choices"] = [(c, VoteChoice(c).label) for c in allowed]
            context["voting_selected"] = my_vote.choice if my_vote else ""
            context["voting_reason"] = my_vote.reason if my_vote else ""
    else:
        context["voting_result_rows"] = _result_rows(ballot)
        context["voting_result_turnout_percent"] = _percent(ballot.turnout, ballot.eligible_count)
        if not ballot.is_secret:
            context["voting_votes"] = list(
                Vote.objects.filter(ballot=ballot)
                .select_related("voter")
                .order_by("voter__display_name", "pk")
            )
    return context
