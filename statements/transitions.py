"""The paper's state machine, declared once (the state table in docs/product.md).

Each method is a django-fsm transition. Conditions and permissions are the
named predicates from statements.permissions. The methods only change fields
on the instance; they are called solely by workflow.services.statement_transition,
which locks the row, checks, calls, saves and writes the audit row in one
transaction. Nothing here sends mail or queues tasks.

What each transition means to people (labels, note required, whether the system may
take it, the event it emits) is in workflow/spec.py, one entry per method here.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django_fsm import RETURN_VALUE, transition

from statements import permissions as perms
from statements.states import State


def has_required_text(statement) -> bool:
    return bool(statement.title.strip() and statement.summary.strip() and statement.body.strip())


def ballot_can_close(statement) -> bool:
    """The voting app decides: deadline passed, or every eligible voter has voted.

    A decision taken in a meeting (meetings.services.room_decision_record) replaces the
    wait for online votes: the paper instance carries the room's counts then.
    """
    if getattr(statement, "room_tally", None) is not None:
        return True
    # Imported late: voting imports statements.models, which imports this module.
    from voting.selectors import ballot_can_close as voting_ballot_can_close

    return bool(voting_ballot_can_close(statement))


def _as_fsm(predicate):
    """django-fsm calls permission(instance, user); our predicates take (user, statement)."""

    def check(instance, user) -> bool:
        return predicate(user, instance)

    check.__name__ = predicate.__name__
    return check


class StatementTransitions:
    """Mixed into statements.models.Statement."""

    @transition(
        field="state",
        source=State.DRAFT,
        target=State.CONSULTATION,
        conditions=[has_required_text],
        permission=_as_fsm(perms.can_submit),
    )
    def submit(self, *, consultation_ends_at: datetime) -> None:
        self.consultation_ends_at = consultation_ends_at
        if self.submitted_at is None:
            self.submitted_at = timezone.now()

    @transition(
        field="state",
        source=State.CONSULTATION,
        target=State.DRAFT,
        permission=_as_fsm(perms.can_back_to_draft),
    )
    def back_to_draft(self) -> None:
        self.consultation_ends_at = None

    @transition(
        field="state",
        source=State.CONSULTATION,
        target=State.VOTING,
        permission=_as_fsm(perms.can_open_vote),
    )
    def open_vote(self) -> None:
        """Only the state changes: the deadline is the ballot's (Ballot.closes_at), fixed
        with the ballot's other terms when workflow.services opens it."""

    @transition(
        field="state",
        source=State.VOTING,
        target=RETURN_VALUE(State.ACCEPTED, State.REJECTED),
        conditions=[ballot_can_close],
        permission=_as_fsm(perms.can_close_vote),
    )
    def close_vote(self, *, adopted: bool) -> str:
        return State.ACCEPTED if adopted else State.REJECTED

    @transition(
        field="state",
        source=State.ACCEPTED,
        target=State.PUBLISHED,
        permission=_as_fsm(perms.can_publish),
    )
    def publish(self) -> None:
        self.published_at = timezone.now()
        self.publish_at = None

    @transition(
        field="state",
        source=State.REJECTED,
        target=State.DRAFT,
        permission=_as_fsm(perms.can_revise),
    )
    def revise(self) -> None:
        # A new round: fresh deadlines later; the old ballot stays on record.
        self.consultation_ends_at = None
        self.publish_at = None

    @transition(
        field="state",
        source=[State.DRAFT, State.CONSULTATION, State.REJECTED],
        target=State.WITHDRAWN,
        permission=_as_fsm(perms.can_withdraw),
    )
    def withdraw(self, *, reason: str) -> None:
        # django-fsm sets the target state after this method: self.state is the source.
        self.withdrawn_from = self.state
        self.withdrawal_reason = reason
        self.publish_at = None

    @transition(
        field="state",
        source=State.PUBLISHED,
        target=State.RETRACTED,
        permission=_as_fsm(perms.can_retract),
    )
    def retract(self, *, reason: str) -> None:
        self.retraction_reason = reason
        self.retracted_at = timezone.now()
