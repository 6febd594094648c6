"""Every state change of a paper goes through statement_transition().

It locks the statement row, re-checks state, permission and conditions on the
locked row, applies the django-fsm transition, saves, writes the audit row and
records the side effects (ballot, notifications, public cache) in the same
transaction. A second, concurrent attempt waits for the lock, then finds the
state changed and fails with TransitionAlreadyDone instead of applying twice.

run_due_work() is what Celery beat runs every minute: it closes votes whose
deadline passed and publishes papers whose embargo ended, as the system
(actor None). It is idempotent and safe to run twice at once.
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
from notifications.events import EventKind, emit
from statements import permissions as perms
from statements.models import Statement
from statements.states import State
from statements.transitions import NOTE_REQUIRED, SYSTEM_TRANSITIONS, TRANSITION_NAMES
from workflow.models import AuditEntry

logger = logging.getLogger(__name__)

# The fields transitions in statements/transitions.py may change.
TRANSITION_FIELDS = [
    "state",
    "updated_at",
    "consultation_ends_at",
    "voting_ends_at",
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


class TransitionError(Exception):
    """Base for refused transitions; `status` is the HTTP status a view should use."""

    status = 409
    message = _("Dieser Schritt ist gerade nicht möglich.")

    def __init__(self, name: str = "", message: Any = None) -> None:
        super().__init__(name)
        self.name = name
        if message is not None:
            self.message = message


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
class TransitionOptions:
    """Optional inputs some transitions take; None means the group default."""

    consultation_ends_at: datetime | None = None
    voting_ends_at: datetime | None = None
    publish_at: datetime | None = None
    ballot: dict[str, Any] | None = None  # decision rule, quorum, secrecy for open_vote
    # Why a coordinator set a deadline below the group minimum (written to the trail).
    short_deadline_reason: str = ""

    def deadline_for(self, name: str) -> datetime | None:
        """The deadline the transition `name` sets, if the caller chose one."""
        if name == "submit":
            return self.consultation_ends_at
        if name == "open_vote":
            return self.voting_ends_at
        return None


# The minimum lengths are the urgent ones (RTM_URGENT_*_DAYS): no paper, urgent or not,
# is consulted or voted on for less unless a coordinator decides so with a reason.
MINIMUM_DAYS_SETTING = {
    "submit": "RTM_URGENT_CONSULTATION_DAYS",
    "open_vote": "RTM_URGENT_VOTING_DAYS",
}
# A confirmation page may stay open a while before it is sent: its prefilled minimum
# deadline still counts as the minimum for this long.
MINIMUM_SLACK = timedelta(hours=1)
# The same-state audit entry that records a deadline set below the minimum.
SHORTENED_ENTRY = {"submit": "shorten_consultation", "open_vote": "shorten_voting"}


def default_consultation_end(statement: Statement) -> datetime:
    days = (
        settings.RTM_URGENT_CONSULTATION_DAYS
        if statement.is_urgent
        else settings.RTM_CONSULTATION_DAYS
    )
    return timezone.now() + timedelta(days=days)


def default_voting_end(statement: Statement) -> datetime:
    days = settings.RTM_URGENT_VOTING_DAYS if statement.is_urgent else settings.RTM_VOTING_DAYS
    return timezone.now() + timedelta(days=days)


def minimum_days(name: str) -> int:
    return int(getattr(settings, MINIMUM_DAYS_SETTING[name]))


def deadline_is_short(name: str, value: datetime | None) -> bool:
    """Whether the chosen deadline of `name` (submit/open_vote) is below the group minimum."""
    if value is None or name not in MINIMUM_DAYS_SETTING:
        return False
    return value < timezone.now() + timedelta(days=minimum_days(name)) - MINIMUM_SLACK


def check_deadline_length(name: str, value: datetime | None, actor: Any, reason: str) -> bool:
    """Raise unless `actor` may set this deadline; return whether it is a shortened one.

    Shorter than the minimum is for coordinators only, and only with a reason.
    """
    if not deadline_is_short(name, value):
        return False
    if not is_coordinator(actor):
        message = (
            _("Die Konsultation dauert mindestens %(days)s Tage.")
            if name == "submit"
            else _("Die Abstimmung dauert mindestens %(days)s Tage.")
        )
        raise DeadlineTooShort(name, message=message % {"days": minimum_days(name)})
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
    """The system acts only when a deadline it owns has passed."""
    now = timezone.now()
    if name == "close_vote":
        return statement.voting_ends_at is not None and statement.voting_ends_at <= now
    if name == "publish":
        return statement.publish_at is not None and statement.publish_at <= now
    return False


def condition_message(name: str) -> Any:
    if name == "submit":
        return _(
            "Titel, Zusammenfassung und Text müssen ausgefüllt sein, bevor die Konsultation "
            "beginnt."
        )
    if name == "close_vote":
        return _(
            "Die Abstimmung kann vor Ablauf der Frist nur geschlossen werden, wenn alle "
            "Stimmberechtigten abgestimmt haben."
        )
    return TransitionInvalid.message


def _was_just_done(statement: Statement, name: str) -> bool:
    last = (
        AuditEntry.objects.filter(statement=statement)
        .exclude(transition__in=SHORTENED_ENTRY.values())
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
        if name not in SYSTEM_TRANSITIONS or not system_may(statement, name):
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
    if name not in TRANSITION_NAMES:
        raise TransitionInvalid(name)
    options = options or TransitionOptions()
    note = (note or "").strip()
    if name in NOTE_REQUIRED and not note:
        raise NoteRequired(name)
    deadline = options.deadline_for(name)
    validate_deadline(deadline)

    with transaction.atomic():
        statement = Statement.objects.select_for_update().get(pk=statement_id)
        if expected_state is not None and statement.state != expected_state:
            raise TransitionAlreadyDone(name)
        check_transition(statement, name, actor)
        shortened = check_deadline_length(name, deadline, actor, options.short_deadline_reason)

        from_state = statement.state
        method = getattr(statement, name)
        method(**_transition_kwargs(statement, name, note, options))
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
                transition=SHORTENED_ENTRY[name],
                from_state=statement.state,
                to_state=statement.state,
                actor=actor,
                note=options.short_deadline_reason.strip(),
                scheduled_for=deadline,
                created_at=now,
            )
        _after_transition(statement, name, actor, options)
    return statement


def _transition_kwargs(
    statement: Statement, name: str, note: str, options: TransitionOptions
) -> dict[str, Any]:
    if name == "submit":
        return {
            "consultation_ends_at": options.consultation_ends_at
            or default_consultation_end(statement)
        }
    if name == "open_vote":
        return {"voting_ends_at": options.voting_ends_at or default_voting_end(statement)}
    if name == "close_vote":
        from voting.services import ballot_close

        return {"adopted": bool(ballot_close(statement=statement))}
    if name in ("withdraw", "retract"):
        return {"reason": note}
    return {}


def _after_transition(
    statement: Statement, name: str, actor: Any | None, options: TransitionOptions
) -> None:
    """Side effects recorded in the same transaction (delivery happens on commit)."""
    if name == "open_vote":
        from voting.services import ballot_open

        ballot_open(statement=statement, opened_by=actor, options=dict(options.ballot or {}))
    if name in ("publish", "retract"):
        from public.cache import invalidate_public_pages

        invalidate_public_pages()
    event = {
        "submit": EventKind.CONSULTATION_OPENED,
        "open_vote": EventKind.VOTING_OPENED,
        "close_vote": EventKind.VOTING_RESULT,
        "publish": EventKind.PUBLISHED,
    }.get(name)
    if event is not None:
        emit(event, statement=statement, actor=actor)


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
                raise TransitionAlreadyDone("publish")
            raise TransitionInvalid("publish")
        if not perms.can_publish(actor, statement):
            raise TransitionNotPermitted("publish")
        if statement.publish_at == publish_at:
            return statement  # a repeated form submission changes nothing and logs nothing
        now = timezone.now()
        statement.publish_at = publish_at
        statement.updated_at = now
        statement.save(update_fields=["publish_at", "updated_at"])
        # The embargo is a decision members should be able to trace, like the urgent track.
        AuditEntry.objects.create(
            statement=statement,
            transition="schedule_publication",
            from_state=statement.state,
            to_state=statement.state,
            actor=actor,
            scheduled_for=publish_at,
            created_at=now,
        )
    return statement


def _set_urgent(*, statement_id: int, actor: Any, urgent: bool, reason: str) -> Statement:
    name = "mark_urgent" if urgent else "unmark_urgent"
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
            urgent_end = now + timedelta(days=settings.RTM_URGENT_CONSULTATION_DAYS)
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
            "close_vote",
            Statement.objects.filter(state=State.VOTING, voting_ends_at__lte=now),
            "voting_ends_at",
            result.closed,
        ),
        (
            "publish",
            Statement.objects.filter(state=State.ACCEPTED, publish_at__lte=now),
            "publish_at",
            result.published,
        ),
    )
    for name, queryset, deadline, done in due:
        ids = list(queryset.order_by(deadline, "pk").values_list("pk", flat=True)[:DUE_BATCH])
        for statement_id in ids:
            if _run_one(name, queryset, statement_id):
                done.append(statement_id)
    return result


def _run_one(name: str, queryset: Any, statement_id: int) -> bool:
    expected = State.VOTING if name == "close_vote" else State.ACCEPTED
    try:
        with transaction.atomic():
            # Claim the row; a concurrent run holding it is doing this paper already.
            claimed = list(
                queryset.select_for_update(skip_locked=True)
                .filter(pk=statement_id)
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
