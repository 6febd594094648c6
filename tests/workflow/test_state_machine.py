"""Model-based test: random transitions by random roles with random clock jumps.

The model below is an independent copy of docs/product.md's state table (who may do
what from where). After every step it checks the real system against it: the
state, the audit trail (complete, ordered, a valid path through the table),
publication only through `accepted`, no text change once voting opened, and
that no forbidden actor ever succeeded.
"""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from statements.services import TextFields, TextFrozen, revision_save
from tests.factories import UserFactory, make_statement
from voting.testing import cast_votes_for_outcome
from workflow import services
from workflow.models import AuditEntry

ROLES = (
    "visitor",
    "registered",
    "member",
    "author",
    "coauthor",
    "coordinator",
    "suspended",
    "system",
)
AUTHORS = {"author", "coauthor"}

# transition: (sources, targets, who may, note required)
TABLE: dict[str, tuple[set[str], set[str], set[str], bool]] = {
    "submit": ({"draft"}, {"consultation"}, AUTHORS, False),
    "back_to_draft": ({"consultation"}, {"draft"}, AUTHORS | {"coordinator"}, True),
    "open_vote": ({"consultation"}, {"voting"}, {"coordinator"}, False),  # + authors later
    "close_vote": ({"voting"}, {"accepted", "rejected"}, {"coordinator"}, False),  # + system
    "publish": ({"accepted"}, {"published"}, {"coordinator"}, False),  # + system
    "revise": ({"rejected"}, {"draft"}, AUTHORS, False),
    "withdraw": (
        {"draft", "consultation", "rejected"},
        {"withdrawn"},
        AUTHORS | {"coordinator"},
        True,
    ),
    "retract": ({"published"}, {"retracted"}, {"coordinator"}, True),
}
EDITABLE = {"draft", "consultation"}


class Workflow(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.now = timezone.now().replace(microsecond=0)
        self._clock = mock.patch("django.utils.timezone.now", side_effect=lambda: self.now)
        self._clock.start()
        self.people = {
            "visitor": AnonymousUser(),
            "registered": UserFactory(membership_status="registered"),
            "member": UserFactory(),
            "author": UserFactory(),
            "coauthor": UserFactory(),
            "coordinator": UserFactory(is_coordinator=True),
            "suspended": UserFactory(membership_status="suspended"),
            "system": None,
        }
        self.statement = make_statement(
            author=self.people["author"], coauthors=[self.people["coauthor"]]
        )
        self.state = "draft"
        self.urgent = False
        self.consultation_ends_at = None
        self.voting_ends_at = None
        self.publish_at = None
        self.trail: list[tuple[str, str, str, int | None, bool]] = []
        self.revision_id = self.statement.current_revision_id

    def teardown(self) -> None:
        self._clock.stop()
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    def fresh(self):
        self.statement.refresh_from_db()
        return self.statement

    # --- the model's prediction ---------------------------------------------------

    def may(self, name: str, role: str, with_note: bool) -> bool:
        sources, _targets, who, note_required = TABLE[name]
        if self.state not in sources or (note_required and not with_note):
            return False
        if role == "system":
            if name == "close_vote":
                return self.voting_ends_at <= self.now and self.ballot_can_close()
            if name == "publish":
                return self.publish_at is not None and self.publish_at <= self.now
            return False
        if name == "open_vote" and role in AUTHORS and self.consultation_ends_at <= self.now:
            return True
        if name == "close_vote" and role in who:
            return self.ballot_can_close()
        return role in who

    def ballot_can_close(self) -> bool:
        # The voting app owns this condition (deadline passed or everyone voted).
        from voting.selectors import ballot_can_close

        return bool(ballot_can_close(self.fresh()))

    def record(self, name: str, role: str, to_state: str) -> None:
        _sources, targets, _who, _note = TABLE[name]
        assert to_state in targets
        actor = self.people[role]
        self.trail.append(
            (name, self.state, to_state, actor.pk if actor else None, role == "system")
        )
        self.state = to_state
        if name == "submit":
            days = "RTM_URGENT_CONSULTATION_DAYS" if self.urgent else "RTM_CONSULTATION_DAYS"
            self.consultation_ends_at = self.now + timedelta(days=getattr(django_settings, days))
            assert self.fresh().consultation_ends_at == self.consultation_ends_at
        if name == "open_vote":
            days = "RTM_URGENT_VOTING_DAYS" if self.urgent else "RTM_VOTING_DAYS"
            self.voting_ends_at = self.now + timedelta(days=getattr(django_settings, days))
            # The ballot holds the one voting deadline.
            from voting.selectors import voting_deadline

            assert voting_deadline(self.statement) == self.voting_ends_at
        if name in ("publish", "revise", "withdraw"):
            self.publish_at = None

    # --- rules --------------------------------------------------------------------

    @rule(name=st.sampled_from(sorted(TABLE)), role=st.sampled_from(ROLES), with_note=st.booleans())
    def any_transition(self, name: str, role: str, with_note: bool) -> None:
        self.attempt(name, role, with_note)

    @rule(data=st.data())
    def transition_from_here(self, data: st.DataObject) -> None:
        """A step that exists from the current state: every role tries it and is rolled
        back (success exactly where the table allows), then one drawn role does it."""
        here = sorted(name for name, row in TABLE.items() if self.state in row[0])
        if len(here) > 1 and data.draw(st.integers(0, 5), label="allow_withdraw"):
            # The terminal withdraw only now and then, so runs get far along the table.
            here.remove("withdraw") if "withdraw" in here else None
        if not here:
            return
        name = data.draw(st.sampled_from(here), label="name")
        with_note = data.draw(st.integers(0, 4), label="note") > 0
        for role in ROLES:
            self.probe(name, role, with_note)
        self.attempt(name, data.draw(st.sampled_from(ROLES), label="role"), with_note)

    def probe(self, name: str, role: str, with_note: bool) -> None:
        """Try `name` as `role` and undo it: success exactly when the table allows it."""
        expected = self.may(name, role, with_note)
        savepoint = transaction.savepoint()
        try:
            services.statement_transition(
                statement_id=self.statement.pk,
                name=name,
                actor=self.people[role],
                note="Begründung im Test" if with_note else "",
            )
        except services.TransitionError:
            assert not expected, f"{role} could not {name} from {self.state}"
        else:
            assert expected, f"{role} did {name} from {self.state}: forbidden by the table"
        finally:
            transaction.savepoint_rollback(savepoint)

    @initialize(steps=st.integers(min_value=0, max_value=7))
    def start_somewhere_along_the_table(self, steps: int) -> None:
        for _ in range(steps):
            self.happy_path()

    @rule()
    def happy_path(self) -> None:
        """The usual next step by the usual person, so runs reach publication and beyond."""
        step = {
            "draft": ("submit", "author"),
            "consultation": ("open_vote", "coordinator"),
            "voting": ("close_vote", "coordinator"),
            "accepted": ("publish", "coordinator"),
            "rejected": ("revise", "coauthor"),
        }.get(self.state)
        if self.state == "voting" and self.now < self.voting_ends_at:
            self.everyone_votes(adopt=True)
        if self.state == "voting" and not self.ballot_can_close():
            # Nobody could vote: let the deadline pass and beat close the vote.
            self.now = max(self.now, self.voting_ends_at + timedelta(minutes=1))
            self.beat()
        elif step is not None:
            self.attempt(*step, True)

    @rule(adopt=st.booleans())
    def everyone_votes(self, adopt: bool) -> None:
        if self.state == "voting" and self.now < self.voting_ends_at:
            cast_votes_for_outcome(statement=self.fresh(), adopt=adopt)

    def attempt(self, name: str, role: str, with_note: bool) -> None:
        expected = self.may(name, role, with_note)
        try:
            statement = services.statement_transition(
                statement_id=self.statement.pk,
                name=name,
                actor=self.people[role],
                note="Begründung im Test" if with_note else "",
            )
        except services.TransitionError:
            assert not expected, f"{role} could not {name} from {self.state}"
            return
        assert expected, f"{role} did {name} from {self.state}: forbidden by the table"
        self.record(name, role, statement.state)

    @rule(minutes=st.integers(min_value=1, max_value=60 * 24 * 20))
    def clock_jumps(self, minutes: int) -> None:
        self.now += timedelta(minutes=minutes)

    @rule()
    def beat(self) -> None:
        closes = self.state == "voting" and self.may("close_vote", "system", False)
        publishes = self.state == "accepted" and self.may("publish", "system", False)
        result = services.run_due_work()
        assert (self.statement.pk in result.closed) == closes
        assert (self.statement.pk in result.published) == publishes
        if closes:
            self.record("close_vote", "system", self.fresh().state)
        if publishes:
            self.record("publish", "system", self.fresh().state)

    @rule()
    def author_edits(self) -> None:
        text = TextFields(title="Neuer Titel", occasion="", summary="Neu.", body=f"Text {self.now}")
        try:
            revision = revision_save(
                statement_id=self.statement.pk,
                author=self.people["author"],
                text=text,
                message="",
                base_revision_id=self.revision_id,
            )
        except TextFrozen:
            assert self.state not in EDITABLE
            return
        assert self.state in EDITABLE, f"text changed in state {self.state}"
        self.revision_id = revision.pk

    @rule(role=st.sampled_from(ROLES), hours=st.integers(min_value=1, max_value=24 * 10))
    def schedule_publication(self, role: str, hours: int) -> None:
        when = self.now + timedelta(hours=hours)
        expected = role == "coordinator" and self.state == "accepted"
        try:
            services.statement_schedule_publication(
                statement_id=self.statement.pk, actor=self.people[role], publish_at=when
            )
        except services.TransitionError:
            assert not expected
            return
        assert expected
        self.publish_at = when

    @rule(role=st.sampled_from(ROLES), mark=st.booleans())
    def urgent_track(self, role: str, mark: bool) -> None:
        expected = role == "coordinator" and self.state in EDITABLE and self.urgent != mark
        service = services.statement_mark_urgent if mark else services.statement_unmark_urgent
        try:
            service(statement_id=self.statement.pk, actor=self.people[role], reason="Eilig")
        except services.TransitionError:
            assert not expected
            return
        assert expected
        self.urgent = mark
        if mark and self.state == "consultation":
            urgent_end = self.now + timedelta(days=django_settings.RTM_URGENT_CONSULTATION_DAYS)
            self.consultation_ends_at = min(self.consultation_ends_at, urgent_end)
            assert self.fresh().consultation_ends_at == self.consultation_ends_at

    # --- invariants ---------------------------------------------------------------

    @invariant()
    def matches_the_model(self) -> None:
        statement = self.fresh()
        assert statement.state == self.state
        assert statement.is_urgent == self.urgent
        assert statement.current_revision_id == self.revision_id  # no text change when frozen

    @invariant()
    def audit_trail_is_complete_ordered_and_a_path_through_the_table(self) -> None:
        entries = list(
            AuditEntry.objects.filter(statement=self.statement, transition__in=TABLE).order_by("pk")
        )
        got = [(e.transition, e.from_state, e.to_state, e.actor_id, e.is_system) for e in entries]
        assert got == self.trail
        times = [e.created_at for e in entries]
        assert times == sorted(times)
        state = "draft"
        for name, from_state, to_state, _actor, _system in got:
            assert from_state == state
            sources, targets, _who, _note = TABLE[name]
            assert from_state in sources and to_state in targets
            if to_state == "published":
                assert from_state == "accepted"
            state = to_state
        assert state == self.state


@pytest.mark.django_db
def test_workflow_state_machine():
    run_state_machine_as_test(
        Workflow,
        settings=settings(
            max_examples=20,
            stateful_step_count=30,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
