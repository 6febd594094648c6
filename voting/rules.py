"""The counting: pure functions, no database, so they can be tested exhaustively.

Definitions (the group's rules, see docs/product.md "Deciding"):

- Everyone who cast any vote (yes, no, abstain, block, object) takes part; the
  turnout is the number of participants. Abstentions count towards the quorum but
  never towards a majority.
- Quorum: "share" = at least ceil(eligible * percent / 100) participants;
  "absolute" = at least that many participants; "none" = always met. The silence
  procedure applies no quorum (silence is consent).
- Simple majority: more yes than no.
- Two-thirds: yes is at least two thirds of yes + no (yes * 3 >= 2 * (yes + no)),
  and at least one yes, so a ballot where nobody said yes or no is not adopted.
- Consensus: no block, and more yes than no.
- Silence procedure: adopted unless the objections reach the threshold; where
  configured a single block prevents adoption on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from voting.models import DecisionRule, Outcome, QuorumKind, VoteChoice


@dataclass(frozen=True)
class Counts:
    yes: int = 0
    no: int = 0
    abstain: int = 0
    block: int = 0
    object: int = 0

    @property
    def participants(self) -> int:
        return self.yes + self.no + self.abstain + self.block + self.object

    @classmethod
    def from_mapping(cls, counts: dict[str, int]) -> Counts:
        return cls(**{choice: int(counts.get(choice, 0)) for choice in VoteChoice.values})


@dataclass(frozen=True)
class RuleConfig:
    rule: str = DecisionRule.MAJORITY
    quorum_kind: str = QuorumKind.NONE
    quorum_value: int = 0
    silence_threshold: int = 1
    single_block_suffices: bool = False


@dataclass(frozen=True)
class Result:
    outcome: str
    quorum_required: int
    quorum_met: bool | None  # None: no quorum applies

    @property
    def adopted(self) -> bool:
        return self.outcome == Outcome.ADOPTED


def allowed_choices(rule: str, *, single_block_suffices: bool = False) -> tuple[str, ...]:
    """The choices a voter has under `rule`, in display order."""
    if rule == DecisionRule.CONSENSUS:
        return (VoteChoice.YES, VoteChoice.NO, VoteChoice.ABSTAIN, VoteChoice.BLOCK)
    if rule == DecisionRule.SILENCE:
        # "No" has no meaning here: disagreement is an objection (or a block where allowed).
        if single_block_suffices:
            return (VoteChoice.YES, VoteChoice.ABSTAIN, VoteChoice.OBJECT, VoteChoice.BLOCK)
        return (VoteChoice.YES, VoteChoice.ABSTAIN, VoteChoice.OBJECT)
    return (VoteChoice.YES, VoteChoice.NO, VoteChoice.ABSTAIN)


def quorum_required(kind: str, value: int, eligible: int) -> int:
    """Participants needed for the quorum (0 = none needed)."""
    if kind == QuorumKind.SHARE:
        return -(-eligible * value // 100)  # ceiling division in integers
    if kind == QuorumKind.ABSOLUTE:
        return value
    return 0


def simple_majority(counts: Counts) -> bool:
    return counts.yes > counts.no


def two_thirds(counts: Counts) -> bool:
    return counts.yes > 0 and counts.yes * 3 >= 2 * (counts.yes + counts.no)


def consensus(counts: Counts) -> bool:
    return counts.block == 0 and counts.yes > counts.no


def silence(counts: Counts, *, threshold: int, single_block_suffices: bool) -> bool:
    if single_block_suffices and counts.block > 0:
        return False
    # A block where blocks do not suffice alone still counts as an objection.
    return counts.object + counts.block < threshold


def count(counts: Counts, *, eligible: int, config: RuleConfig) -> Result:
    """Apply `config` to the votes cast by `eligible` voters."""
    if config.rule == DecisionRule.SILENCE:
        adopted = silence(
            counts,
            threshold=config.silence_threshold,
            single_block_suffices=config.single_block_suffices,
        )
        return Result(Outcome.ADOPTED if adopted else Outcome.REJECTED, 0, None)

    required = quorum_required(config.quorum_kind, config.quorum_value, eligible)
    met: bool | None = None
    if config.quorum_kind != QuorumKind.NONE:
        met = counts.participants >= required
        if not met:
            return Result(Outcome.NO_QUORUM, required, False)
    decide = {
        DecisionRule.MAJORITY: simple_majority,
        DecisionRule.TWO_THIRDS: two_thirds,
        DecisionRule.CONSENSUS: consensus,
    }[DecisionRule(config.rule)]
    return Result(Outcome.ADOPTED if decide(counts) else Outcome.REJECTED, required, met)
