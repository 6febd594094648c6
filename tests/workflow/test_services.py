"""statement_transition and friends, through the service API."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from statements.services import TextFields, TextFrozen, revision_save
from statements.states import State
from tests.factories import make_statement
from voting.selectors import ballot_can_close, voting_deadline
from voting.testing import cast_votes_for_outcome
from workflow.models import AuditEntry
from workflow.services import (
    DeadlineInvalid,
    NoteRequired,
    TransitionAlreadyDone,
    TransitionInvalid,
    TransitionNotPermitted,
    TransitionOptions,
    run_due_work,
    statement_mark_urgent,
    statement_schedule_publication,
    statement_transition,
    statement_unmark_urgent,
)

pytestmark = pytest.mark.django_db


def test_submit_sets_default_deadline_and_writes_audit(draft, author):
    before = timezone.now()
    statement = statement_transition(statement_id=draft.pk, name="submit", actor=author)
    assert statement.state == State.CONSULTATION
    assert before + timedelta(days=14) <= statement.consultation_ends_at
    assert statement.consultation_ends_at <= timezone.now() + timedelta(days=14)
    entry = AuditEntry.objects.get(statement=draft)
    assert (entry.transition, entry.from_state, entry.to_state, entry.actor, entry.is_system) == (
        "submit",
        "draft",
        "consultation",
        author,
        False,
    )


def test_urgent_paper_gets_short_default_deadlines(draft, author, coordinator):
    statement_mark_urgent(statement_id=draft.pk, actor=coordinator, reason="Kreistag am Freitag")
    statement = statement_transition(statement_id=draft.pk, name="submit", actor=author)
    assert statement.consultation_ends_at <= timezone.now() + timedelta(days=3)
    statement = statement_transition(statement_id=draft.pk, name="open_vote", actor=coordinator)
    assert voting_deadline(statement) <= timezone.now() + timedelta(days=2)


def test_mark_urgent_needs_reason_and_coordinator(draft, author, coordinator):
    with pytest.raises(NoteRequired):
        statement_mark_urgent(statement_id=draft.pk, actor=coordinator, reason=" ")
    with pytest.raises(TransitionNotPermitted):
        statement_mark_urgent(statement_id=draft.pk, actor=author, reason="Eilig")
    statement_mark_urgent(statement_id=draft.pk, actor=coordinator, reason="Eilig")
    with pytest.raises(TransitionAlreadyDone):
        statement_mark_urgent(statement_id=draft.pk, actor=coordinator, reason="Eilig")
    statement = statement_unmark_urgent(statement_id=draft.pk, actor=coordinator)
    assert not statement.is_urgent and statement.urgent_reason == ""


def test_per_paper_deadline_must_be_in_future(draft, author):
    with pytest.raises(DeadlineInvalid):
        statement_transition(
            statement_id=draft.pk,
            name="submit",
            actor=author,
            options=TransitionOptions(consultation_ends_at=timezone.now() - timedelta(minutes=1)),
        )
    draft.refresh_from_db()
    assert draft.state == State.DRAFT


def test_per_paper_deadline_is_used(draft, author):
    ends = timezone.now() + timedelta(days=5)
    statement = statement_transition(
        statement_id=draft.pk,
        name="submit",
        actor=author,
        options=TransitionOptions(consultation_ends_at=ends),
    )
    assert statement.consultation_ends_at == ends


def test_note_required(in_consultation, author):
    with pytest.raises(NoteRequired):
        statement_transition(statement_id=in_consultation.pk, name="withdraw", actor=author)
    statement = statement_transition(
        statement_id=in_consultation.pk, name="withdraw", actor=author, note="Hat sich erledigt"
    )
    statement.refresh_from_db()
    assert statement.withdrawal_reason == "Hat sich erledigt"


def test_wrong_state_and_wrong_person(draft, member, author):
    with pytest.raises(TransitionInvalid):
        statement_transition(statement_id=draft.pk, name="publish", actor=author)
    with pytest.raises(TransitionNotPermitted):
        statement_transition(statement_id=draft.pk, name="submit", actor=member)
    assert not AuditEntry.objects.filter(statement=draft).exists()


def test_second_attempt_is_already_done(draft, author):
    statement_transition(statement_id=draft.pk, name="submit", actor=author)
    with pytest.raises(TransitionAlreadyDone):
        statement_transition(statement_id=draft.pk, name="submit", actor=author)
    with pytest.raises(TransitionAlreadyDone):
        statement_transition(
            statement_id=draft.pk, name="submit", actor=author, expected_state="draft"
        )
    assert AuditEntry.objects.filter(statement=draft).count() == 1


def test_system_only_closes_and_publishes_when_due(author, in_consultation):
    statement = make_statement(author=author, state="voting")
    with pytest.raises(TransitionNotPermitted):
        statement_transition(statement_id=statement.pk, name="close_vote", actor=None)
    with pytest.raises(TransitionNotPermitted):
        statement_transition(statement_id=in_consultation.pk, name="withdraw", actor=None, note="x")


def test_author_opens_vote_only_after_consultation(in_consultation, author):
    with pytest.raises(TransitionNotPermitted):
        statement_transition(statement_id=in_consultation.pk, name="open_vote", actor=author)
    later = in_consultation.consultation_ends_at + timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        statement = statement_transition(
            statement_id=in_consultation.pk, name="open_vote", actor=author
        )
    assert statement.state == State.VOTING


def test_text_frozen_once_voting(author):
    statement = make_statement(author=author, state="voting")
    with pytest.raises(TextFrozen):
        revision_save(
            statement_id=statement.pk,
            author=author,
            text=TextFields(title="Neu", occasion="", summary="s", body="b"),
            message="",
            base_revision_id=statement.current_revision_id,
        )


def test_publish_and_retract_invalidate_public_pages(author, coordinator):
    statement = make_statement(author=author, state="accepted")
    with mock.patch("core.pagecache.invalidate_public_pages") as invalidate:
        statement_transition(statement_id=statement.pk, name="publish", actor=coordinator)
        assert invalidate.call_count == 1
        statement.refresh_from_db()
        assert statement.published_at is not None
        statement_transition(
            statement_id=statement.pk, name="retract", actor=coordinator, note="Fehler"
        )
        assert invalidate.call_count == 2
    statement.refresh_from_db()
    assert statement.state == State.RETRACTED
    assert statement.retraction_reason == "Fehler" and statement.retracted_at is not None


def test_run_due_work_closes_and_publishes(author, coordinator):
    voting = make_statement(author=author, state="voting")
    accepted = make_statement(author=author, state="accepted", title="Sprachkurse sichern")
    statement_schedule_publication(
        statement_id=accepted.pk, actor=coordinator, publish_at=timezone.now() + timedelta(hours=1)
    )
    assert run_due_work().closed == []
    later = timezone.now() + timedelta(days=8)
    with mock.patch("django.utils.timezone.now", return_value=later):
        result = run_due_work()
        again = run_due_work()
    assert result.closed == [voting.pk] and result.published == [accepted.pk]
    assert again.closed == [] and again.published == []
    voting.refresh_from_db()
    accepted.refresh_from_db()
    assert voting.state in (State.ACCEPTED, State.REJECTED)
    assert accepted.state == State.PUBLISHED
    entry = AuditEntry.objects.filter(statement=voting, transition="close_vote").get()
    assert entry.is_system and entry.actor is None


def test_schedule_publication_rules(author, coordinator, member):
    accepted = make_statement(author=author, state="accepted")
    soon = timezone.now() + timedelta(days=1)
    with pytest.raises(TransitionNotPermitted):
        statement_schedule_publication(statement_id=accepted.pk, actor=member, publish_at=soon)
    with pytest.raises(DeadlineInvalid):
        statement_schedule_publication(
            statement_id=accepted.pk,
            actor=coordinator,
            publish_at=timezone.now() - timedelta(hours=1),
        )
    statement = statement_schedule_publication(
        statement_id=accepted.pk, actor=coordinator, publish_at=soon
    )
    assert statement.publish_at == soon


def test_schedule_publication_is_in_the_audit_trail_once(author, coordinator):
    accepted = make_statement(author=author, state="accepted")
    soon = timezone.now() + timedelta(days=1)
    for _ in range(2):  # a double submission logs one decision
        statement_schedule_publication(statement_id=accepted.pk, actor=coordinator, publish_at=soon)
    statement_schedule_publication(statement_id=accepted.pk, actor=coordinator, publish_at=None)
    entries = AuditEntry.objects.filter(
        statement=accepted, transition="schedule_publication"
    ).order_by("pk")
    assert [(e.transition, e.actor, e.scheduled_for) for e in entries] == [
        ("schedule_publication", coordinator, soon),
        ("schedule_publication", coordinator, None),
    ]
    assert all(e.from_state == e.to_state == State.ACCEPTED for e in entries)


def test_system_does_not_close_early_even_when_everyone_voted(author, coordinator):
    statement = make_statement(author=author, state="voting")
    cast_votes_for_outcome(statement=statement, adopt=True)
    with pytest.raises(TransitionNotPermitted):
        statement_transition(statement_id=statement.pk, name="close_vote", actor=None)
    assert run_due_work().closed == []
    # A coordinator may close early once everyone voted.
    statement = statement_transition(
        statement_id=statement.pk, name="close_vote", actor=coordinator
    )
    assert statement.state == State.ACCEPTED


def test_coordinator_cannot_close_early_while_votes_are_missing(author, coordinator, member):
    statement = make_statement(author=author, state="voting")
    # The rule itself first: with votes missing and the deadline ahead, it says "wait".
    assert not ballot_can_close(statement)
    with pytest.raises(TransitionInvalid) as refused:
        statement_transition(statement_id=statement.pk, name="close_vote", actor=coordinator)
    assert "alle" in str(refused.value.message)


def test_export_lists_own_steps_only(draft, author, member):
    from workflow.export import user_data

    statement_transition(statement_id=draft.pk, name="submit", actor=author)
    assert [s["step"] for s in user_data(author)["workflow_steps"]] == ["submit"]
    assert user_data(member) == {"workflow_steps": []}


def test_marking_urgent_during_consultation_cuts_the_running_consultation(
    in_consultation, coordinator, settings
):
    from datetime import timedelta

    from django.utils import timezone

    assert in_consultation.consultation_ends_at > timezone.now() + timedelta(days=10)
    statement = statement_mark_urgent(
        statement_id=in_consultation.pk, actor=coordinator, reason="Kreistag entscheidet Freitag"
    )
    limit = timezone.now() + timedelta(days=settings.RTM_URGENT_CONSULTATION_DAYS)
    assert statement.consultation_ends_at <= limit
    statement.refresh_from_db()
    assert statement.consultation_ends_at <= limit
    # Unmarking does not lengthen it again: the group already announced the shorter deadline.
    statement_unmark_urgent(statement_id=in_consultation.pk, actor=coordinator)
    statement.refresh_from_db()
    assert statement.consultation_ends_at <= limit


def test_marking_urgent_keeps_a_consultation_that_already_ends_sooner(in_consultation, coordinator):
    from datetime import timedelta

    from django.utils import timezone

    soon = timezone.now() + timedelta(hours=5)
    type(in_consultation).objects.filter(pk=in_consultation.pk).update(consultation_ends_at=soon)
    statement = statement_mark_urgent(
        statement_id=in_consultation.pk, actor=coordinator, reason="Eilig"
    )
    assert statement.consultation_ends_at == soon
