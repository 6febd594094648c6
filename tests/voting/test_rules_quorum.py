"""The quorum a closed ballot records, and the rule for tallies the forms never produce.

`count()` returns more than the outcome: the participants the quorum required and
whether it was met (None: no quorum applies). ballot_close stores both and the result
panel prints them ("Quorum erreicht (erforderlich: 3)" or "Kein Quorum angewandt").
Mutation testing (docs/mutation.md) found that test_rules.py checked the outcome only:
a wrong "required" on the record, or "met" dropped to None, passed every test.

The oracle here again computes independently: Fractions for the share, no helper
shared with voting/rules.py.
"""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voting.models import Outcome
from voting.rules import Counts, RuleConfig, count, quorum_required

CHOICES = ("yes", "no", "abstain", "block", "object")


def recorded_quorum(tally: dict[str, int], eligible: int, cfg: dict) -> tuple[int, bool | None]:
    """(participants required, met) as the panel should print them."""
    if cfg["rule"] == "silence" or cfg["quorum_kind"] == "none":
        return 0, None  # silence is consent: no quorum, whatever is configured
    if cfg["quorum_kind"] == "share":
        required = math.ceil(Fraction(eligible * cfg["quorum_value"], 100))
    else:
        required = cfg["quorum_value"]
    return required, sum(tally.values()) >= required


configs = st.fixed_dictionaries(
    {
        "rule": st.sampled_from(["majority", "two_thirds", "consensus", "silence"]),
        "quorum_kind": st.sampled_from(["share", "absolute", "none"]),
        "quorum_value": st.integers(0, 100),
        "silence_threshold": st.integers(1, 8),
        "single_block_suffices": st.booleans(),
    }
)
tallies = st.fixed_dictionaries({choice: st.integers(0, 15) for choice in CHOICES})


@settings(max_examples=300, deadline=None)
@given(cfg=configs, tally=tallies, extra=st.integers(0, 60))
def test_recorded_quorum_matches_independent_computation(cfg, tally, extra) -> None:
    eligible = sum(tally.values()) + extra
    result = count(Counts(**tally), eligible=eligible, config=RuleConfig(**cfg))
    assert (result.quorum_required, result.quorum_met) == recorded_quorum(tally, eligible, cfg)


@pytest.mark.parametrize(
    ("eligible", "percent", "required"),
    [
        # Shares that land just above a whole number round up: 67 % of 3 is 2.01 people.
        (3, 67, 3),
        (101, 100, 101),  # everyone, in a group of 101
        (9, 25, 3),
        (8, 25, 2),
        (10, 0, 0),
        (0, 50, 0),
    ],
)
def test_share_quorum_rounds_up_to_whole_people(eligible, percent, required) -> None:
    assert quorum_required("share", percent, eligible) == required
    assert math.ceil(Fraction(eligible * percent, 100)) == required  # the oracle agrees


def test_two_of_three_do_not_meet_a_67_percent_quorum() -> None:
    cfg = RuleConfig(rule="majority", quorum_kind="share", quorum_value=67)
    result = count(Counts(yes=2), eligible=3, config=cfg)
    assert (result.outcome, result.quorum_required, result.quorum_met) == (
        Outcome.NO_QUORUM,
        3,
        False,
    )


def test_without_a_quorum_nothing_is_required_and_nothing_is_met() -> None:
    result = count(Counts(yes=3, no=1), eligible=10, config=RuleConfig(rule="majority"))
    assert (result.outcome, result.quorum_required, result.quorum_met) == (
        Outcome.ADOPTED,
        0,
        None,
    )


@settings(max_examples=200, deadline=None)
@given(tally=tallies, threshold=st.integers(1, 8))
def test_silence_counts_every_block_as_an_objection(tally, threshold) -> None:
    """voting/rules.py: where a block does not suffice alone it still objects. The vote
    form offers no block then, but a ballot's rule is data: the count must not depend
    on the form to stay right."""
    cfg = RuleConfig(rule="silence", silence_threshold=threshold, single_block_suffices=False)
    result = count(Counts(**tally), eligible=sum(tally.values()), config=cfg)
    objections = tally["object"] + tally["block"]
    assert result.adopted == (objections < threshold)
