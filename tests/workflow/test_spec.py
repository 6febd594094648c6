"""The transition table as data: every django-fsm transition on Statement has a complete spec
in workflow.spec, every spec names a real transition, and the service obeys the spec."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import timezone, translation

from core.events import EventKind
from statements.models import Statement
from statements.states import State
from tests.factories import make_statement
from voting.testing import cast_votes_for_outcome, set_voting_deadline
from workflow import services
from workflow.models import AuditEntry
from workflow.spec import (
    AUDIT_LABELS_UNTIL,
    DECISION_DONE,
    DECISION_TITLES,
    TRANSITIONS,
    Decision,
    Transition,
    TransitionSpec,
    audit_label,
)


def fsm_transitions() -> set[str]:
    field = Statement._meta.get_field("state")
    return {t.name for t in field.get_all_transitions(Statement)}


def test_every_state_machine_transition_has_a_spec_and_vice_versa():
    assert fsm_transitions() == set(Transition.values)
    assert set(TRANSITIONS) == set(Transition)


def test_a_spec_cannot_leave_a_field_out():
    """No field has a default, so a new transition must state each one."""
    for field in dataclasses.fields(TransitionSpec):
        assert field.default is dataclasses.MISSING, field.name
        assert field.default_factory is dataclasses.MISSING, field.name


def _english_catalogue() -> set[str]:
    path = Path(settings.BASE_DIR) / "workflow/locale/en/LC_MESSAGES/django.po"
    with path.open("rb") as handle:
        return {m.id for m in read_po(handle, locale="en") if m.id and m.string}


def _texts() -> list[object]:
    texts: list[object] = [t.label for t in Transition] + [d.label for d in Decision]
    for spec in TRANSITIONS.values():
        texts += [spec.explanation, spec.done, spec.audit_label]
        if spec.condition_message is not None:
            texts.append(spec.condition_message)
        if spec.deadline is not None:
            texts += [spec.deadline.form_label, spec.deadline.too_short]
    return (
        texts
        + list(DECISION_TITLES.values())
        + list(DECISION_DONE.values())
        + list(AUDIT_LABELS_UNTIL.values())
    )


def test_every_text_is_a_translated_msgid_of_the_workflow_catalogue():
    """The German text is the msgid: it must stay in the catalogue with its English."""
    catalogue = _english_catalogue()
    for text in _texts():
        with translation.override("de"):
            german = str(text)
        with translation.override("en"):
            english = str(text)
        assert german.strip(), text
        assert german in catalogue, german
        assert english != german, german


def test_deadline_rules_name_real_settings_and_options():
    for name, spec in TRANSITIONS.items():
        if spec.deadline is None:
            assert services.TransitionOptions().deadline_for(name) is None
            continue
        assert isinstance(getattr(settings, spec.deadline.default_setting), int)
        assert isinstance(getattr(settings, spec.deadline.urgent_setting), int)
        assert hasattr(services.TransitionOptions(), spec.deadline.option)
        assert spec.deadline.shortened_entry in Decision


def test_audit_entry_choices_are_every_transition_and_decision():
    choices = dict(AuditEntry._meta.get_field("transition").choices)
    assert set(choices) == set(Transition.values) | set(Decision.values)
    with translation.override("de"):
        assert audit_label("open_vote", None) == "Abstimmung eröffnet"
        assert audit_label("schedule_publication", None) == "Geplante Veröffentlichung aufgehoben"
        assert audit_label("something_old", None) == "something_old"


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(Transition))
def test_a_required_note_is_enforced_exactly_where_the_spec_says(name, author):
    statement = make_statement(author=author)
    if TRANSITIONS[name].note_required:
        with pytest.raises(services.NoteRequired):
            services.statement_transition(statement_id=statement.pk, name=name, actor=author)
    else:
        # Whatever else refuses it, it is never the missing note.
        try:
            services.statement_transition(statement_id=statement.pk, name=name, actor=author)
        except services.NoteRequired:  # pragma: no cover - the failure this test looks for
            pytest.fail(f"{name} asked for a note")
        except services.TransitionError:
            pass


@pytest.mark.django_db
def test_the_system_may_take_only_the_transitions_its_spec_allows(author, coordinator):
    """In a state where the transition exists and its deadline (if any) has passed."""
    past = timezone.now() - timedelta(minutes=1)
    for state in State.values:
        statement = make_statement(author=author, state=state)
        if state == State.VOTING:
            set_voting_deadline(statement=statement, when=past)
        if state == State.ACCEPTED:
            Statement.objects.filter(pk=statement.pk).update(publish_at=past)
        for name in Transition:
            statement.refresh_from_db()
            if name not in {t.name for t in statement.get_available_state_transitions()}:
                continue
            assert services.system_may(statement, name) == TRANSITIONS[name].system_allowed, (
                state,
                name,
            )


@pytest.mark.django_db
def test_each_transition_emits_the_event_its_spec_names(author, coordinator, monkeypatch):
    emitted: list[str] = []
    monkeypatch.setattr(services, "emit", lambda kind, **kw: emitted.append(kind))
    steps = [
        ("submit", author, ""),
        ("back_to_draft", author, "Noch nicht fertig"),
        ("submit", author, ""),
        ("open_vote", coordinator, ""),
        ("close_vote", coordinator, ""),
        ("revise", author, ""),
        ("submit", author, ""),
        ("open_vote", coordinator, ""),
        ("close_vote", coordinator, ""),
        ("publish", coordinator, ""),
        ("retract", coordinator, "Veraltet"),
    ]
    statement = make_statement(author=author)
    seen = set()
    for number, (name, actor, note) in enumerate(steps):
        if name == "close_vote":
            # The first round fails, the second passes.
            cast_votes_for_outcome(statement=statement, adopt=number > 4)
        emitted.clear()
        services.statement_transition(statement_id=statement.pk, name=name, actor=actor, note=note)
        expected = TRANSITIONS[Transition(name)].event
        assert emitted == ([expected] if expected else []), name
        seen.add(name)
    other = make_statement(author=author)
    emitted.clear()
    services.statement_transition(statement_id=other.pk, name="withdraw", actor=author, note="x")
    assert emitted == []
    assert seen | {"withdraw"} == set(Transition.values)
    assert all(s.event is None or s.event in EventKind for s in TRANSITIONS.values())
