"""The counting, checked against an independent, deliberately naive re-statement of the rules.

The oracle below is written differently from voting/rules.py: it expands the votes
into a list of ballots, uses Fractions for shares and thirds, and never shares a
helper with the code under test.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voting.models import Outcome
from voting.rules import Counts, RuleConfig, allowed_choices, count


def oracle(votes: list[str], eligible: int, cfg: dict) -> str:
    """What a careful person with the rule book and a pencil would decide."""
    tally = {c: votes.count(c) for c in ("yes", "no", "abstain", "block", "object")}
    if cfg["rule"] == "silence":
        if cfg["single_block_suffices"] and tally["block"] >= 1:
            return "rejected"
        objections = tally["object"] + tally["block"]
        return "rejected" if objections >= cfg["silence_threshold"] else "adopted"
    taking_part = len(votes)  # abstentions take part
    if cfg["quorum_kind"] == "share":
        if Fraction(taking_part) < Fraction(eligible * cfg["quorum_value"], 100):
            return "no_quorum"
    elif cfg["quorum_kind"] == "absolute" and taking_part < cfg["quorum_value"]:
        return "no_quorum"
    yes, no = tally["yes"], tally["no"]
    if cfg["rule"] == "majority":
        ok = yes > no
    elif cfg["rule"] == "two_thirds":
        decided = yes + no
        ok = decided > 0 and yes > 0 and Fraction(yes, decided) >= Fraction(2, 3)
    else:  # consensus
        ok = tally["block"] == 0 and yes > no
    return "adopted" if ok else "rejected"


configs = st.fixed_dictionaries(
    {
        "rule": st.sampled_from(["majority", "two_thirds", "consensus", "silence"]),
        "quorum_kind": st.sampled_from(["share", "absolute", "none"]),
        "quorum_value": st.integers(0, 100),
        "silence_threshold": st.integers(1, 8),
        "single_block_suffices": st.booleans(),
    }
)


@st.composite
def ballots(draw):
    cfg = draw(configs)
    allowed = allowed_choices(cfg["rule"], single_block_suffices=cfg["single_block_suffices"])
    votes = draw(st.lists(st.sampled_from(allowed), max_size=40))
    eligible = len(votes) + draw(st.integers(0, 40))
    return votes, eligible, cfg


def run(votes: list[str], eligible: int, cfg: dict) -> str:
    counts = Counts.from_mapping({c: votes.count(c) for c in set(votes)})
    return count(counts, eligible=eligible, config=RuleConfig(**cfg)).outcome


@settings(max_examples=300, deadline=None)
@given(ballots())
def test_outcome_matches_independent_computation(ballot) -> None:
    votes, eligible, cfg = ballot
    assert run(votes, eligible, cfg) == oracle(votes, eligible, cfg)


@settings(max_examples=150, deadline=None)
@given(ballots())
def test_abstentions_never_change_a_majority_once_quorum_is_met(ballot) -> None:
    votes, eligible, cfg = ballot
    if cfg["rule"] == "silence":
        return
    cfg = {**cfg, "quorum_kind": "none"}
    assert run(votes + ["abstain"] * 5, eligible + 5, cfg) == run(votes, eligible, cfg)


MAJ = {
    "rule": "majority",
    "quorum_kind": "none",
    "quorum_value": 0,
    "silence_threshold": 3,
    "single_block_suffices": False,
}


@pytest.mark.parametrize(
    ("votes", "eligible", "cfg", "expected"),
    [
        # zero votes: nobody said yes, so nothing is adopted (no quorum either way)
        ([], 10, MAJ, "rejected"),
        ([], 10, {**MAJ, "quorum_kind": "share", "quorum_value": 25}, "no_quorum"),
        ([], 0, {**MAJ, "quorum_kind": "share", "quorum_value": 25}, "rejected"),
        ([], 10, {**MAJ, "rule": "silence"}, "adopted"),  # silence is consent
        # all abstain: quorum met, but no majority
        (["abstain"] * 5, 10, {**MAJ, "quorum_kind": "share", "quorum_value": 50}, "rejected"),
        (["abstain"] * 5, 10, {**MAJ, "rule": "two_thirds"}, "rejected"),
        # ties
        (["yes", "no"], 2, MAJ, "rejected"),
        (["yes", "yes", "no", "no", "abstain"], 5, {**MAJ, "rule": "consensus"}, "rejected"),
        # exactly two thirds
        (["yes", "yes", "no"], 3, {**MAJ, "rule": "two_thirds"}, "adopted"),
        (["yes", "yes", "no", "no"], 4, {**MAJ, "rule": "two_thirds"}, "rejected"),
        # exactly the quorum: 25 % of 8 = 2 participants
        (["yes", "abstain"], 8, {**MAJ, "quorum_kind": "share", "quorum_value": 25}, "adopted"),
        (["yes"], 8, {**MAJ, "quorum_kind": "share", "quorum_value": 25}, "no_quorum"),
        # 25 % of 9 = 2.25 → 3 participants needed
        (["yes", "yes"], 9, {**MAJ, "quorum_kind": "share", "quorum_value": 25}, "no_quorum"),
        (["yes", "yes", "no"], 9, {**MAJ, "quorum_kind": "share", "quorum_value": 25}, "adopted"),
        (
            ["yes", "abstain", "abstain"],
            50,
            {**MAJ, "quorum_kind": "absolute", "quorum_value": 3},
            "adopted",
        ),
        (
            ["yes", "abstain"],
            50,
            {**MAJ, "quorum_kind": "absolute", "quorum_value": 3},
            "no_quorum",
        ),
        # a block stops consensus however many say yes
        (["yes"] * 20 + ["block"], 21, {**MAJ, "rule": "consensus"}, "rejected"),
        (["yes"] * 20 + ["abstain"], 21, {**MAJ, "rule": "consensus"}, "adopted"),
        # silence: objections exactly at the threshold reject, one fewer adopts
        (["object"] * 3, 20, {**MAJ, "rule": "silence"}, "rejected"),
        (["object"] * 2 + ["yes"], 20, {**MAJ, "rule": "silence"}, "adopted"),
        # silence: a single block suffices only where configured
        (["block"], 20, {**MAJ, "rule": "silence", "single_block_suffices": True}, "rejected"),
        # silence ignores the quorum
        (
            [],
            100,
            {**MAJ, "rule": "silence", "quorum_kind": "absolute", "quorum_value": 50},
            "adopted",
        ),
    ],
)
def test_edge_cases(votes, eligible, cfg, expected) -> None:
    assert run(votes, eligible, cfg) == expected
    assert oracle(votes, eligible, cfg) == expected


def test_result_reports_quorum() -> None:
    cfg = RuleConfig(rule="majority", quorum_kind="share", quorum_value=25)
    result = count(Counts(yes=1), eligible=9, config=cfg)
    assert (result.outcome, result.quorum_required, result.quorum_met) == (
        Outcome.NO_QUORUM,
        3,
        False,
    )
    silence = count(
        Counts(),
        eligible=9,
        config=RuleConfig(rule="silence", quorum_kind="share", quorum_value=50),
    )
    assert silence.quorum_met is None and silence.adopted


def test_choices_per_rule() -> None:
    assert "block" in allowed_choices("consensus")
    assert "block" not in allowed_choices("majority")
    assert "object" in allowed_choices("silence")
    assert "object" not in allowed_choices("consensus")
    assert "block" not in allowed_choices("silence")
    assert "block" in allowed_choices("silence", single_block_suffices=True)
