"""Every state change of a paper goes through statement_transition().

It locks the statement row, re-checks state, permission and conditions on the
locked row, applies the django-fsm transition, saves, writes the audit row and
records the side effects (ballot, notifications) in the same transaction. A
second, concurrent attempt waits for the lock, then finds the state changed
and fails with TransitionAlreadyDone instead of applying twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed, has_transition_perm

from notifications.events import EventKind, emit
from statements.models import Statement
from statements.transitions import NOTE_REQUIRED, TRANSITION_NAMES
from workflow.models import AuditEntry


class TransitionError(Exception):
    """Base for refused transitions; `status` is the HTTP status a view should use."""

    status = 409


class TransitionAlreadyDone(TransitionError):
    status = 409


class TransitionNotPermitted(TransitionError):
    status = 403


class TransitionInvalid(TransitionError):
    status = 409


class NoteRequired(TransitionError):
    status = 400


@dataclass(frozen=True)
class TransitionOptions:
    """Optional inputs some transitions take; None means the group default."""

    consultation_ends_at: datetime | None = None
    voting_ends_at: datetime | None = None
    publish_at: datetime | None = None
    ballot: dict[str, Any] | None = None  # decision rule, quorum, secrecy for open_vote


def default_consultation_end(statement: Statement) -> datetime:
    days = settings.RTM_URGENT_CONSULTATION_DAYS if statement.is_urgent else settings.RTM_CONSULTATION_DAYS
    return timezone.now() + timedelta(days=days)


def default_voting_end(statement: Statement) -> datetime:
    days = settings.RTM_URGENT_VOTING_DAYS if statement.is_urgent else settings.RTM_VOTING_DAYS
    return timezone.now() + timedelta(days=days)


def statement_transition(
    *,
    statement_id: int,
    name: str,
    actor: Any | None,
    note: str = "",
    expected_state: str | None = None,
    options: TransitionOptions | None = None,
) -> Statement:
    """Apply transition `name` to the statement, as `actor` (None = the system).

    `expected_state` is the state the user saw when they clicked; if the paper
    moved on meanwhile, the attempt is reported as already done.
    """
    if name not in TRANSITION_NAMES:
        raise TransitionInvalid(name)
    options = options or TransitionOptions()
    note = (note or "").strip()
    if name in NOTE_REQUIRED and not note:
        raise NoteRequired(name)

    with transaction.atomic():
        statement = Statement.objects.select_for_update().get(pk=statement_id)
        if expected_state is not None and statement.state != expected_state:
            raise TransitionAlreadyDone(name)
        method = getattr(statement, name)
        if not can_proceed(method, check_conditions=False):
            raise TransitionInvalid(name)
        if actor is not None and not has_transition_perm(method, actor):
            raise TransitionNotPermitted(name)
        if not can_proceed(method):
            raise TransitionInvalid(name)

        from_state = statement.state
        kwargs = _transition_kwargs(statement, name, note, options)
        method(**kwargs)
        statement.updated_at = timezone.now()
        statement.save()
        AuditEntry.objects.create(
            statement=statement,
            transition=name,
            from_state=from_state,
            to_state=statement.state,
            actor=actor,
            is_system=actor is None,
            note=note,
        )
        _after_transition(statement, name, actor, options)
    return statement


def _transition_kwargs(
    statement: Statement, name: str, note: str, options: TransitionOptions
) -> dict[str, Any]:
    if name == "submit":
        return {"consultation_ends_at": options.consultation_ends_at or default_consultation_end(statement)}
    if name == "open_vote":
        return {"voting_ends_at": options.voting_ends_at or default_voting_end(statement)}
    if name == "close_vote":
        from voting.services import ballot_close

        return {"adopted": ballot_close(statement=statement)}
    if name in ("withdraw", "retract"):
        return {"reason": note}
    return {}


def _after_transition(
    statement: Statement, name: str, actor: Any | None, options: TransitionOptions
) -> None:
    """Side effects recorded in the same transaction (delivery happens on commit)."""
    if name == "open_vote":
        from voting.services import ballot_open

        ballot_open(statement=statement, opened_by=actor, options=options.ballot or {})
    event = {
        "submit": EventKind.CONSULTATION_OPENED,
        "open_vote": EventKind.VOTING_OPENED,
        "close_vote": EventKind.VOTING_RESULT,
        "publish": EventKind.PUBLISHED,
    }.get(name)
    if event is not None:
        emit(event, statement=statement, actor=actor)


def statement_schedule_publication(*, statement_id: int, actor: Any, publish_at: datetime) -> Statement:
    """Set an embargo: beat publishes the accepted paper at `publish_at`."""
    from statements.permissions import can_publish
    from statements.states import State

    with transaction.atomic():
        statement = Statement.objects.select_for_update().get(pk=statement_id)
        if statement.state != State.ACCEPTED:
            raise TransitionInvalid("publish")
        if not can_publish(actor, statement):
            raise TransitionNotPermitted("publish")
        statement.publish_at = publish_at
        statement.save(update_fields=["publish_at"])
    return statement
