"""Every state change of a paper goes through statement_transition().

It locks the statement row, re-checks state, permission and conditions on the
locked row, applies the django-fsm transition, saves, writes the audit row and
records the side effects (ballot, notifications, public cache) in the same
transaction. A second, concurrent attempt waits for the lock, then finds the
state changed and fails with TransitionAlreadyDone instead of applying twice.
What each transition means (note required, system allowed, event, deadline) is
read from workflow.spec.TRANSITIONS.

run_due_work() is what Celery beat runs every minute: it closes votes whose
deadline (the open ballot's closes_at) passed and publishes papers whose embargo
ended, as the system (actor None). It is idempotent and safe to run twice at once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import can_proceed

from accounts.permissions import is_coordinator
from core import pagecache
from core.dates import add_days
from core.errors import ServiceError
from core.events import EventKind, emit
from statements import permissions as perms
from statements.companions import companions_retract
from statements.models import Statement
from statements.states import PUBLIC_STATES, State
from voting.rules import Counts
from voting.selectors import statements_past_voting_deadline, voting_deadline
from voting.services import ballot_close, ballot_extend, ballot_open
from workflow.models import AuditEntry
from workflow.spec import SHORTENED_ENTRIES, Decision, Transition, TransitionSpec, spec_for

logger = logging.getLogger(__name__)

# The fields transitions in statements/transitions.py may change.
TRANSITION_FIELDS = [
    "state",
    "updated_at",
    "consultation_ends_at",
    "publish_at",
    "submitted_at",
    "published_at",
    "withdrawal_reason",
    "withdrawn_from",
    "retraction_reason",
    "retracted_at",
]

# How far ahead a deadline may be set; anything later is a typo.
MAX_DEADLINE_DAYS = 366


class TransitionError(ServiceError):
    """Base for refused transitions; `name` is the transition that was refused."""

    status = 409
    message = _("Dieser Schritt ist gerade nicht möglich.")

    def __init__(self, name: str = "", message: Any = None) -> None:
        super().__init__(message)
        self.name = name


class TransitionAlreadyDone(TransitionError):
    status = 409
    message = _(
        "Bereits erledigt: Dieser Schritt wurde inzwischen ausgeführt oder der Status "
        "der Stellungnahme hat sich geändert."
    )


class TransitionNotPermitted(TransitionError):
    status = 403
    message = _("Sie dürfen diesen Schritt bei dieser Stellungnahme nicht ausführen.")


class TransitionInvalid(TransitionError):
    status = 409
    message = _("Dieser Schritt ist im aktuellen Status der Stellungnahme nicht möglich.")


class NoteRequired(TransitionError):
    status = 400
    message = _("Bitte geben Sie eine Begründung an.")


class DeadlineInvalid(TransitionError):
    status = 400
    message = _("Die Frist muss in der Zukunft liegen.")


class DeadlineTooShort(TransitionError):
    status = 400
    message = _("Diese Frist ist kürzer als die Mindestdauer der Gruppe.")


class ShortDeadlineReasonRequired(TransitionError):
    status = 400
    message = _("Bitte begründen Sie, warum die Frist kürzer als die Mindestdauer ist.")


@dataclass(frozen=True)
class RoomTally:
    counts: Counts
    present: int


@dataclass(frozen=True)
class TransitionOptions:
    """Optional inputs some transitions take; None means the group default."""

    consultation_ends_at: datetime | None = None
    voting_ends_at: datetime | None = None  # becomes the ballot's closes_at
    publish_at: datetime | None = None
    ballot: dict[str, Any] | None = None  # decision rule, quorum, secrecy for open_vote
    # Why a coordinator set a deadline below the group minimum (written to the trail).
    short_deadline_reason: str = ""
    # close_vote decided at a meeting: the show of hands and the members present (the
    # electorate for the quorum) instead of the online votes (meetings.services).
    room_tally: RoomTally | None = None

    def deadline_for(self, name: str) -> datetime | None:
        """The deadline the transition `name` sets, if the caller chose one."""
        rule = spec_for(name).deadline
        return getattr(self, rule.option) if rule else None


# A confirmation page may stay open a while before it is sent: its prefilled minimum
# deadline still counts as the minimum for this long.
MINIMUM_SLACK = timedelta(hours=1)


def deadline_days(statement: Statement, name: str) -> int:
    """The default length of the deadline `name` sets: the group's, shorter if urgent."""
    rule = spec_for(name).deadline
    setting = rule.urgent_setting if statement.is_urgent else rule.default_setting
    return int(getattr(settings, setting))


def default_deadline(statement: Statement, name: str) -> datetime:
    """The deadline `name` sets when nobody chose one (from the RTM_*_DAYS settings)."""
    return add_days(timezone.now(), deadline_days(statement, name))


def minimum_days(name: str) -> int:
    """No paper, urgent or not, is consulted or voted on for less than the urgent length,
    unless a coordinator decides so with a reason."""
    return int(getattr(settings, spec_for(name).deadline.urgent_setting))


def deadline_is_short(name: str, value: datetime | None) -> bool:
    """Whether the chosen deadline of `name` (submit/open_vote) is below the group minimum."""
    if value is None or spec_for(name).deadline is None:
        return False
    return value < add_days(timezone.now(), minimum_days(name)) - MINIMUM_SLACK


def check_deadline_length(name: str, value: datetime | None, actor: Any, reason: str) -> bool:
    """Raise unless `actor` may set this deadline; return whether it is a shortened one.

    Shorter than the minimum is for coordinators only, and only with a reason.
    """
    if not deadline_is_short(name, value):
        return False
    if not is_coordinator(actor):
        message = spec_for(name).deadline.too_short % {"days": minimum_days(name)}
        raise DeadlineTooShort(name, message=message)
    if not (reason or "").strip():
        raise ShortDeadlineReasonRequired(name)
    return True


def validate_deadline(value: datetime | None) -> None:
    """A deadline must lie in the future (and not absurdly far)."""
    if value is None:
        return
    now = timezone.now()
    if timezone.is_naive(value):
        raise DeadlineInvalid(message=_("Die Frist braucht eine Uhrzeit mit Zeitzone."))
    if value <= now:
        raise DeadlineInvalid()
    if value > now + timedelta(days=MAX_DEADLINE_DAYS):
        raise DeadlineInvalid(message=_("Die Frist darf höchstens ein Jahr in der Zukunft liegen."))


# --- checks shared by the service and the panel --------------------------------


def user_has_transition_perm(statement: Statement, name: str, user: Any) -> bool:
    """The transition's permission= hook alone (django-fsm's has_transition_perm also
    evaluates conditions, which would turn an unmet condition into a 403)."""
    method = getattr(statement, name)
    return bool(method._django_fsm.has_transition_perm(statement, statement.state, user))


def system_may(statement: Statement, name: str) -> bool:
    """The system acts only on transitions its spec allows, once their deadline passed."""
    if not spec_for(name).system_allowed:
        return False
    if name == Transition.CLOSE_VOTE:
        deadline = voting_deadline(statement)
    elif name == Transition.PUBLISH:
        deadline = statement.publish_at
    else:  # a system transition without a deadline here: refuse rather than guess
        return False
    return deadline is not None and deadline <= timezone.now()


def condition_message(name: str) -> Any:
    return spec_for(name).condition_message or TransitionInvalid.message


def _was_just_done(statement: Statement, name: str) -> bool:
    last = (
        AuditEntry.objects.filter(statement=statement)
        .exclude(transition__in=SHORTENED_ENTRIES)
        .order_by("-pk")
        .first()
    )
    return last is not None and last.transition == name and last.to_state == statement.state


def check_transition(statement: Statement, name: str, actor: Any | None) -> None:
    """Raise the TransitionError that applies to `actor` doing `name` now, if any.

    Order matters for the user: wrong state (409) before wrong person (403)
    before an unmet condition (409 with the reason).
    """
    method = getattr(statement, name)
    if not can_proceed(method, check_conditions=False):
        if _was_just_done(statement, name):
            raise TransitionAlreadyDone(name)
        raise TransitionInvalid(name)
    if actor is None:
        if not system_may(statement, name):
            raise TransitionNotPermitted(name)
    elif not user_has_transition_perm(statement, name, actor):
        raise TransitionNotPermitted(name)
    if not can_proceed(method):
        raise TransitionInvalid(name, message=condition_message(name))


# --- the one way to change state -------------------------------------------------


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
    if name not in Transition.values:
        raise TransitionInvalid(name)
    name = Transition(name)
    spec = spec_for(name)
    options = options or TransitionOptions()
    note = (note or "").strip()
    if spec.note_required and not note:
        raise NoteRequired(name)
    deadline = options.deadline_for(name)
    validate_deadline(deadline)

    with transaction.atomic():
        statement = Statement.objects.select_for_update().get(pk=statement_id)
        if expected_state is not None and statement.state != expected_state:
            raise TransitionAlreadyDone(name)
        if name == Transition.CLOSE_VOTE and options.room_tally is not None:
            statement.room_tally = options.room_tally  # read by the close_vote condition
        check_transition(statement, name, actor)
        shortened = check_deadline_length(name, deadline, actor, options.short_deadline_reason)

        from_state = statement.state
        # The deadline this transition sets: the caller's, or the group's default length.
        ends = (deadline or default_deadline(statement, name)) if spec.deadline else None
        if name == Transition.CLOSE_VOTE:
            # The count comes first: it decides close_vote's target (accepted or rejected).
            # The ballot row is locked and closed in this transaction, under the paper's lock.
            room = options.room_tally
            adopted = ballot_close(
                statement=statement,
                tally=room.counts if room else None,
                electorate=room.present if room else None,
            )
            statement.close_vote(adopted=adopted)
        else:
            _apply(statement, name, note=note, ends=ends)
        now = timezone.now()
        statement.updated_at = now
        # Only the workflow's own fields: the text belongs to statements.services.
        statement.save(update_fields=TRANSITION_FIELDS)
        AuditEntry.objects.create(
            statement=statement,
            transition=name,
            from_state=from_state,
            to_state=statement.state,
            actor=actor,
            is_system=actor is None,
            note=note,
            created_at=now,
        )
        if shortened:
            # Its own entry, so the trail shows who cut the deadline, to when, and why.
            AuditEntry.objects.create(
                statement=statement,
                transition=spec.deadline.shortened_entry,
                from_state=statement.state,
                to_state=statement.state,
                actor=actor,
                note=options.short_deadline_reason.strip(),
                scheduled_for=deadline,
                created_at=now,
            )
        if name == Transition.OPEN_VOTE:
            # The ballot fixes the revision, rule, voters and the deadline (the one place
            # the voting deadline is stored).
            ballot_open(
                statement=statement,
                opened_by=actor,
                closes_at=ends,
                options=dict(options.ballot or {}),
            )
        _after_transition(statement, spec, actor, from_state)
    return statement


def _apply(statement: Statement, name: Transition, *, note: str, ends: datetime | None) -> None:
    """Call the django-fsm method with the arguments it takes (close_vote: see above)."""
    if name == Transition.SUBMIT:
        statement.submit(consultation_ends_at=ends)
    elif name == Transition.WITHDRAW:
        statement.withdraw(reason=note)
    elif name == Transition.RETRACT:
        statement.retract(reason=note)
        # Its plain-language version and translations go with it (issue 19).
        companions_retract(statement=statement)
    else:
        getattr(statement, name)()


def _after_transition(
    statement: Statement, spec: TransitionSpec, actor: Any | None, from_state: str
) -> None:
    """Side effects recorded in the same transaction (delivery happens on commit)."""
    if from_state in PUBLIC_STATES or statement.state in PUBLIC_STATES:
        # What the public sees changed (publish, retract).
        pagecache.invalidate_public_pages()
    if spec.event is not None:
        emit(spec.event, statement=statement, actor=actor)


# --- embargo and urgent track ------------------------------------------------------


def statement_schedule_publication(
    *, statement_id: int, actor: Any, publish_at: datetime | None
) -> Statement:
    """Set (or with None, lift) an embargo: beat publishes the accepted paper at `publish_at`."""
    validate_deadline(publish_at)
    with transaction.atomic():
        statement = Statement.objects.select_for_update().get(pk=statement_id)
        if statement.state != State.ACCEPTED:
            if statement.state == State.PUBLISHED:
                raise TransitionAlreadyDone(Transition.PUBLISH)
            raise TransitionInvalid(Transition.PUBLISH)
        if not perms.can_publish(actor, statement):
            raise TransitionNotPermitted(Transition.PUBLISH)
        if statement.publish_at == publish_at:
            return statement  # a repeated form submission changes nothing and logs nothing
        now = timezone.now()
        statement.publish_at = publish_at
        statement.updated_at = now
        statement.save(update_fields=["publish_at", "updated_at"])
        # The embargo is a decision members should be able to trace, like the urgent track.
        AuditEntry.objects.create(
            statement=statement,
            transition=Decision.SCHEDULE_PUBLICATION,
            from_state=statement.state,
            to_state=statement.state,
            actor=actor,
            scheduled_for=publish_at,
            created_at=now,
        )
    return statement


class ExtensionReasonRequired(TransitionError):
    status = 400
    message = _("Bitte begründen Sie die Verlängerung.")


def voting_extend(*, statement_id: int, actor: Any, closes_at: datetime, reason: str) -> Any:
    """A coordinator moves a running vote's deadline later, with a reason (issue 16).

    The ballot's `closes_at` is the one deadline (beat, casting, reminders read it); the
    change is an audit entry (`extend_voting`, note = reason, scheduled_for = the new
    deadline) and the eligible voters are told through the outbox (`voting_extended`).
    """
    reason = reason.strip()
    with transaction.atomic():
        statement = Statement.objects.select_for_update().get(pk=statement_id)
        if statement.state != State.VOTING:
            raise TransitionInvalid(Transition.CLOSE_VOTE)
        if not is_coordinator(actor):
            raise TransitionNotPermitted(Transition.CLOSE_VOTE)
        if not reason:
            raise ExtensionReasonRequired(Transition.CLOSE_VOTE)
        ballot = ballot_extend(statement=statement, closes_at=closes_at)
        AuditEntry.objects.create(
            statement=statement,
            transition=Decision.EXTEND_VOTING,
            from_state=statement.state,
            to_state=statement.state,
            actor=actor,
            note=reason,
            scheduled_for=closes_at,
            created_at=timezone.now(),
        )
        emit(EventKind.VOTING_EXTENDED, statement=statement, actor=actor, target=ballot)
    return ballot


def _set_urgent(*, statement_id: int, actor: Any, urgent: bool, reason: str) -> Statement:
    name = Decision.MARK_URGENT if urgent else Decision.UNMARK_URGENT
    reason = (reason or "").strip()
    if urgent and not reason:
        raise NoteRequired(name)
    with transaction.atomic():
        statement = Statement.objects.select_for_update().get(pk=statement_id)
        if not perms.can_mark_urgent(actor, statement):
            if is_coordinator(actor):
                raise TransitionInvalid(name)
            raise TransitionNotPermitted(name)
        if statement.is_urgent == urgent:
            raise TransitionAlreadyDone(name)
        now = timezone.now()
        statement.is_urgent = urgent
        statement.urgent_reason = reason if urgent else ""
        statement.updated_at = now
        fields = ["is_urgent", "urgent_reason", "updated_at"]
        if urgent and statement.state == State.CONSULTATION:
            # An urgent paper must not wait out the normal consultation it is already in.
            urgent_end = add_days(now, settings.RTM_URGENT_CONSULTATION_DAYS)
            if (
                statement.consultation_ends_at is None
                or statement.consultation_ends_at > urgent_end
            ):
                statement.consultation_ends_at = urgent_end
                fields.append("consultation_ends_at")
        statement.save(update_fields=fields)
        # Recorded in the trail (state unchanged) so members see who decided it and why.
        AuditEntry.objects.create(
            statement=statement,
            transition=name,
            from_state=statement.state,
            to_state=statement.state,
            actor=actor,
            note=reason,
            created_at=now,
        )
    return statement


def statement_mark_urgent(*, statement_id: int, actor: Any, reason: str) -> Statement:
    """Put the paper on the urgent track (Eilverfahren): shorter deadlines from now on.

    A running consultation is cut to the urgent length if it would last longer.
    """
    return _set_urgent(statement_id=statement_id, actor=actor, urgent=True, reason=reason)


def statement_unmark_urgent(*, statement_id: int, actor: Any, reason: str = "") -> Statement:
    return _set_urgent(statement_id=statement_id, actor=actor, urgent=False, reason=reason)


# --- periodic work ------------------------------------------------------------------


@dataclass
class DueWorkResult:
    closed: list[int] = field(default_factory=list)
    published: list[int] = field(default_factory=list)


# At most this many papers per kind and run; the next run picks up the rest.
DUE_BATCH = 100


def run_due_work() -> DueWorkResult:
    """Close votes past their deadline and publish papers past their embargo, as the system."""
    now = timezone.now()
    result = DueWorkResult()
    due = (
        (
            Transition.CLOSE_VOTE,
            State.VOTING,
            # The deadline is the open ballot's; the transition checks it again on the
            # locked row (system_may), so a stale id here only costs a skipped attempt.
            statements_past_voting_deadline(now),
            result.closed,
        ),
        (
            Transition.PUBLISH,
            State.ACCEPTED,
            Statement.objects.filter(state=State.ACCEPTED, publish_at__lte=now)
            .order_by("publish_at", "pk")
            .values_list("pk", flat=True),
            result.published,
        ),
    )
    for name, expected, due_ids, done in due:
        for statement_id in list(due_ids[:DUE_BATCH]):
            if _run_one(name, expected, statement_id):
                done.append(statement_id)
    return result


def _run_one(name: Transition, expected: State, statement_id: int) -> bool:
    try:
        with transaction.atomic():
            # Claim the row; a concurrent run holding it is doing this paper already.
            claimed = list(
                Statement.objects.select_for_update(skip_locked=True)
                .filter(pk=statement_id, state=expected)
                .values_list("pk", flat=True)[:1]
            )
            if not claimed:
                return False
            statement_transition(
                statement_id=statement_id, name=name, actor=None, expected_state=expected
            )
            return True
    except TransitionError as exc:
        # Already done by a concurrent run, or a condition no longer holds: nothing to do.
        logger.info("due %s on statement %s skipped: %r", name, statement_id, exc)
        return False
    except Exception:
        # One broken paper must not block the others; the next run retries it.
        logger.exception("due %s on statement %s failed", name, statement_id)
        return False
