"""Every write of the notifications app: the outbox, its delivery, preferences,
follows, the in-app list and public subscribers.

The outbox in short: notifications_for_event() writes one row per recipient and
channel in the caller's transaction and queues outbox_deliver() on commit.
outbox_deliver() claims due rows (SKIP LOCKED, status "sending" with a lease),
sends them over one SMTP connection and marks each "sent" just before the
server can accept it (see notifications/smtp.py). outbox_sweep() (beat, every
minute) returns rows whose lease expired to "pending" and re-queues delivery,
so a lost broker message or a killed worker delays mail but never loses it.
"""

from __future__ import annotations

import logging
import smtplib
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection as db
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from notifications.kinds import DEFAULT_MODES, LOCKED_KINDS, KindSpec, spec_for
from notifications.models import (
    Channel,
    Follow,
    Kind,
    Mode,
    Notification,
    Preference,
    PublicSubscriber,
    Status,
)
from notifications.recipients import who_may_see

logger = logging.getLogger(__name__)

BATCH_SIZE = 100
SWEEP_GRACE = timedelta(minutes=1)
# Temporary failures (connection errors, 4xx) back off 1, 2, 4 … minutes, at most an hour,
# and are retried until the row has been failing for RTM_MAIL_RETRY_HOURS (48 h, as a mail
# server would keep a message queued); 5xx answers fail at once.
BACKOFF_MAX = timedelta(hours=1)
# Longer than a delivery task may live (its hard time limit), so no second worker claims
# rows a running task still holds; a killed worker's rows return after it (~15 minutes).
LEASE_SECONDS = settings.RTM_MAIL_TASK_HARD_LIMIT + 60


# --- Writing the outbox ----------------------------------------------------


def _event_key(spec: KindSpec, statement: Any, target: Any) -> str:
    """Stable for events about one object (a comment is created once), unique otherwise."""
    kind = spec.kind
    if target is not None and spec.once_per_target:
        return f"{kind}:{target._meta.label_lower}:{target.pk}"
    where = f"s{statement.pk}" if statement is not None else "-"
    return f"{kind}:{where}:{uuid.uuid4().hex}"


def notifications_for_event(
    *,
    kind: str,
    statement: Any | None,
    actor: Any | None,
    target: Any | None,
    extra: dict[str, Any],
) -> None:
    """Write the outbox rows for one event in the caller's transaction.

    What each kind means (who, default mode, outside recipients, what it supersedes) is
    its spec in notifications/kinds.py. Queries: the recipient rule's own lookups (a fixed
    few per kind), one for the recipients with their preference, two for the visibility
    check (the paper and its co-authors), one for outside recipients (public subscribers
    of a publication) and one INSERT: the same count for 20 or 2,000 recipients.
    """
    spec = spec_for(str(kind))
    if spec.recipients is None:
        raise ValueError(f"{spec.kind} is not an event kind")
    kind = spec.kind
    rule, context = spec.recipients(statement=statement, target=target, extra=extra)
    if actor is not None:
        context["actor_id"] = actor.pk
    event_key = _event_key(spec, statement, target)
    now = timezone.now()
    statement_id = statement.pk if statement is not None else None
    users = User.objects.filter(rule).distinct()
    if actor is not None and not spec.notify_actor:
        users = users.exclude(pk=actor.pk)
    chosen = Preference.objects.filter(user=OuterRef("pk"), kind=kind).values("mode")[:1]
    # Concerned is not enough: only who may see the paper now gets a row (nothing of a
    # draft reaches a former follower or a removed co-author). Checked again at send time.
    people = who_may_see(
        list(
            users.annotate(chosen_mode=Subquery(chosen)).only(
                "pk", "is_active", "membership_status", "is_coordinator"
            )
        ),
        statement,
    )
    recipients = [(user.pk, user.chosen_mode) for user in people]

    rows: list[Notification] = []
    common = {
        "kind": kind,
        "event_key": event_key,
        "statement_id": statement_id,
        "context": context,
        "created_at": now,
        "next_attempt_at": now,
    }
    for user_id, chosen_mode in recipients:
        mode = mode_for(kind, chosen_mode)
        rows.append(
            Notification(
                recipient_id=user_id,
                channel=Channel.INAPP,
                status=Status.SENT,
                sent_at=now,
                **common,
            )
        )
        if mode == Mode.IMMEDIATELY:
            rows.append(Notification(recipient_id=user_id, channel=Channel.EMAIL, **common))
        elif mode == Mode.DIGEST:
            rows.append(
                Notification(
                    recipient_id=user_id, channel=Channel.EMAIL, status=Status.DIGEST, **common
                )
            )
    if spec.outside is not None:
        # People without an account: public subscribers, an invited address.
        rows += [
            Notification(channel=Channel.EMAIL, **who, **common)
            for who in spec.outside(target=target)
        ]
    if spec.supersedes is not None and target is not None:
        # E.g. a mention says more than "new comment": one mail about the comment, not two.
        superseded = Notification.objects.filter(
            event_key=_event_key(spec_for(spec.supersedes), statement, target),
            recipient_id__in=[user_id for user_id, _mode in recipients],
        )
        superseded.filter(channel=Channel.EMAIL, status__in=[Status.PENDING, Status.DIGEST]).update(
            status=Status.SKIPPED, last_error=f"superseded by {kind}"
        )
        # And one entry in the app's list: the one that says more (issue 16).
        superseded.filter(channel=Channel.INAPP).delete()
    if not rows:
        return
    # ignore_conflicts: an event reported twice (same key) adds nobody twice.
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    mails = sum(1 for r in rows if r.channel == Channel.EMAIL and r.status == Status.PENDING)
    if mails:
        queue_delivery(event_key, mails=mails)


def mode_for(kind: str, chosen: str | None) -> str:
    if kind in LOCKED_KINDS:
        return Mode.IMMEDIATELY
    return chosen or DEFAULT_MODES.get(kind, Mode.IMMEDIATELY)


def delivery_tasks(mails: int) -> int:
    """How many tasks deliver an event of `mails` mails side by side: one per
    RTM_MAIL_CHUNK mails, at most RTM_MAIL_PARALLEL. Each claims its own batches
    (SKIP LOCKED) over its own SMTP connection, so they share the rows without
    coordination, and a run that finds nothing left simply ends."""
    chunks = -(-max(mails, 1) // settings.RTM_MAIL_CHUNK)
    return max(1, min(chunks, settings.RTM_MAIL_PARALLEL))


def queue_delivery(event_key: str | None = None, *, mails: int = 1) -> None:
    """After commit, ask workers to deliver (several for a large event). A dead broker
    is logged, not raised: the rows are safe in the database and the sweep finds them."""

    def publish() -> None:
        from notifications.tasks import deliver_pending

        try:
            for _ in range(delivery_tasks(mails)):
                deliver_pending.delay(event_key=event_key)
        except Exception:  # the request must succeed without a broker
            logger.warning("could not queue notification delivery; the sweep will", exc_info=True)

    transaction.on_commit(publish)


# --- Delivering ------------------------------------------------------------


def _claim(event_key: str | None, batch_size: int) -> list[Notification]:
    """Claim due rows with a lease. Each claimed row is charged one attempt; rows the
    run never tried are handed back uncharged (_release)."""
    now = timezone.now()
    with transaction.atomic():
        due = Notification.objects.select_for_update(skip_locked=True).filter(
            channel=Channel.EMAIL, status=Status.PENDING, next_attempt_at__lte=now
        )
        if event_key:
            due = due.filter(event_key=event_key)
        ids = list(due.order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not ids:
            return []
        lease = now + timedelta(seconds=LEASE_SECONDS)
        Notification.objects.filter(pk__in=ids, status=Status.PENDING).update(
            status=Status.SENDING, lease_until=lease, attempts=F("attempts") + 1
        )
    return list(
        Notification.objects.filter(pk__in=ids, status=Status.SENDING, lease_until=lease)
        .select_related(
            "recipient",
            "subscriber",
            "invitation__invited_by",
            "statement",
            "list_subscriber",
            "addressee",
            "inbound_message__user",
        )
        .order_by("pk")
    )


def _mark_sent(row: Notification, confirmed: list[int] | tuple[int, ...] = ()) -> bool:
    """Commit "sent" if the row is still ours; False (nothing written) if it is not.

    Ours means: still "sending" under the lease we claimed it with. The sweep may have
    returned an expired lease to "pending" and another worker claimed it anew; then this
    UPDATE matches nothing and notifications/smtp.py never ends the DATA of our copy.
    The row keeps its lease while the server's reply is outstanding ("sent, reply not
    yet recorded"); `confirmed` are this run's earlier rows whose 250 came back since the
    last mark: the same statement clears their lease, so recording a reply costs no
    commit of its own. A worker that dies leaves at most two such rows per connection (the
    one in flight and the one before it), which the sweep turns "unanswered" (sent again
    with its Message-ID) instead of losing them.
    One autocommitted statement (outbox_deliver never runs inside a transaction), so
    "sent" is committed when this returns: before the end of DATA is written.
    """
    if row.lease_until is None:
        return False
    changed = _update_sent(row, confirmed)
    if isinstance(confirmed, list):
        confirmed.clear()  # recorded by this statement
    return row.pk in changed


def _update_sent(row: Notification, confirmed: list[int] | tuple[int, ...] = ()) -> set[int]:
    """The guarded UPDATE of _mark_sent in plain SQL, one round trip: building it through
    the ORM for every mail of a 2,000-mail event cost more CPU than the send itself, and a
    transaction around it (BEGIN, SET LOCAL, UPDATE, COMMIT) three more round trips
    (issue 20). Returns the ids it changed: the row if it was still ours, and `confirmed`."""
    ops = db.ops
    table = ops.quote_name(Notification._meta.db_table)
    mine = "(id = %s AND status = %s)"
    params: list[Any] = [row.pk, Status.SENDING.value]
    if confirmed:
        mine += f" OR (id IN ({', '.join(['%s'] * len(confirmed))}) AND status = %s)"
        params += [*confirmed, Status.SENT.value]
    with db.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET status = %s,"  # noqa: S608 - our own quoted table name
            " sent_at = CASE WHEN id = %s THEN %s ELSE sent_at END,"
            " last_error = CASE WHEN id = %s THEN '' ELSE last_error END,"
            " lease_until = CASE WHEN id = %s THEN lease_until ELSE NULL END"
            f" WHERE lease_until = %s AND ({mine}) RETURNING id",
            [
                Status.SENT.value,
                row.pk,
                ops.adapt_datetimefield_value(timezone.now()),
                row.pk,
                row.pk,
                ops.adapt_datetimefield_value(row.lease_until),
                *params,
            ],
        )
        return {pk for (pk,) in cursor.fetchall()}


def _confirm(rows: list[int], lease: datetime | None) -> None:
    """Record the server's 250 for rows not yet confirmed by a later mark (the run's last
    mail, or a batch's end): their lease is cleared, so the sweep leaves them alone."""
    if rows and lease is not None:
        Notification.objects.filter(pk__in=rows, status=Status.SENT, lease_until=lease).update(
            lease_until=None
        )
    rows.clear()


@contextmanager
def _asynchronous_commits() -> Iterator[None]:
    """Commit without waiting for the WAL flush while a run delivers: the mark's commit is
    the window before each end of DATA, and waiting for the flush widens it ~30-fold
    (0.14 ms → 4 ms measured). Should PostgreSQL itself crash within ~0.6 s of a mark,
    the mark is undone and the row sent again: a duplicate, never a loss. Session level
    (the marks are single autocommitted statements), reset when the run ends."""
    if db.vendor != "postgresql" or db.in_atomic_block:
        yield
        return
    with db.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        try:
            with db.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")
        except Exception:  # a broken connection is closed and replaced anyway
            logger.debug("could not reset synchronous_commit", exc_info=True)


def _mark_retry(row: Notification, error: str, *, from_status: str = Status.SENDING) -> None:
    """A temporary failure: try again after a capped backoff, until the retry window ends."""
    now = timezone.now()
    retry_until = row.retry_until or now + timedelta(hours=settings.RTM_MAIL_RETRY_HOURS)
    if now >= retry_until:
        changes: dict[str, Any] = {"status": Status.FAILED}
    else:
        attempts = max(row.attempts, 1)  # read after the claim counted this attempt
        backoff = min(timedelta(seconds=60 * 2 ** min(attempts - 1, 16)), BACKOFF_MAX)
        changes = {"status": Status.PENDING, "next_attempt_at": min(now + backoff, retry_until)}
    Notification.objects.filter(pk=row.pk, status=from_status).update(
        lease_until=None, last_error=error[:2000], sent_at=None, retry_until=retry_until, **changes
    )


def _mark_failed(row: Notification, error: str, *, from_status: str = Status.SENDING) -> None:
    """A permanent refusal (5xx): failed at once, for the coordination to see."""
    Notification.objects.filter(pk=row.pk, status=from_status).update(
        status=Status.FAILED, lease_until=None, last_error=error[:2000], sent_at=None
    )


def _mark_unanswered(row: Notification, error: str) -> None:
    """The server got the whole message but gave no final reply: it may or may not have
    it. Visible as its own state; sent again (same Message-ID) after the grace period."""
    now = timezone.now()
    grace = timedelta(minutes=settings.RTM_MAIL_UNANSWERED_GRACE_MINUTES)
    retry_until = row.retry_until or now + timedelta(hours=settings.RTM_MAIL_RETRY_HOURS)
    Notification.objects.filter(pk=row.pk, status=Status.SENT).update(
        # Past the retry window it stays "unanswered" (visible, no longer resent).
        status=Status.UNANSWERED,
        lease_until=None,
        last_error=error[:2000],
        retry_until=retry_until,
        next_attempt_at=now + grace if now < retry_until else datetime.max.replace(tzinfo=UTC),
    )


def _release(rows: list[Notification], *, not_before: datetime | None = None) -> None:
    """Hand rows this run claimed but never tried back to pending, uncharged (one UPDATE)."""
    if not rows:
        return
    changes: dict[str, Any] = {"next_attempt_at": not_before} if not_before else {}
    Notification.objects.filter(
        pk__in=[row.pk for row in rows],
        status=Status.SENDING,
        lease_until__in={row.lease_until for row in rows},
    ).update(status=Status.PENDING, lease_until=None, attempts=F("attempts") - 1, **changes)


def _mark_skipped(row: Notification, reason: str) -> None:
    Notification.objects.filter(pk=row.pk, status=Status.SENDING).update(
        status=Status.SKIPPED, lease_until=None, last_error=reason
    )


def _smtp_code(exc: BaseException) -> int | None:
    """The server's reply code carried by a refusal, or None (network, protocol, other)."""
    code = getattr(exc, "smtp_code", None)
    if code is None and isinstance(exc, smtplib.SMTPRecipientsRefused):
        code = max((c for c, _msg in exc.recipients.values()), default=None)
    return code if isinstance(code, int) else None


def outbox_deliver(*, event_key: str | None = None, batch_size: int = BATCH_SIZE) -> int:
    """Deliver due e-mail rows (of one event, or all) over one SMTP connection; see _deliver."""
    with _asynchronous_commits():
        return _deliver(event_key, batch_size)


def _deliver(event_key: str | None, batch_size: int) -> int:
    """Deliver due e-mail rows (of one event, or all) over one SMTP connection.

    Safe to run twice at once and to re-run after a crash: rows are claimed with
    SKIP LOCKED and a lease, and a row already marked sent is never claimed again.
    Must not run inside a transaction (each "sent" must be committed at once).

    Bounded: no new message is started after RTM_MAIL_RUN_SECONDS, and the final reply
    of one is awaited at most RTM_MAIL_FINAL_REPLY_SECONDS and never past the task's
    soft time limit. A server that goes silent after the data, a broken connection or a
    421 ends the run; rows it had claimed but not tried go back to pending, uncharged.
    """
    from notifications import emails
    from notifications.smtp import (
        LeaseLost,
        RefusedAfterCommit,
        UnconfirmedAfterCommit,
        send_once,
    )

    renders = emails.RenderOnce()  # shared renderings for the whole run
    started = time.monotonic()
    run_until = started + settings.RTM_MAIL_RUN_SECONDS
    wait_until = started + settings.RTM_MAIL_TASK_SOFT_LIMIT - 15
    sent = 0
    connection = get_connection()
    untried: list[Notification] = []
    confirmed: list[int] = []  # 250 received, not yet recorded (the next mark records it)
    lease: datetime | None = None
    more_due = False
    try:
        while True:
            if time.monotonic() >= run_until:
                more_due = True
                break
            rows = _claim(event_key, batch_size)
            if not rows:
                break
            loaded = emails.Loaded(rows)
            lease = rows[0].lease_until
            untried = list(rows)
            stop = False
            while untried and not stop:
                if time.monotonic() >= run_until:
                    more_due = True
                    stop = True
                    break
                row = untried.pop(0)
                try:
                    message = emails.build(row, loaded, renders)
                except Exception as exc:  # one bad row must not stop the batch
                    logger.exception("could not render notification %s", row.pk)
                    _mark_retry(row, f"render: {exc}")
                    continue
                if message is None:
                    _mark_skipped(
                        row, "nothing to send (hidden, deleted, unsubscribed or no longer visible)"
                    )
                    continue
                final_wait = max(
                    1.0,
                    min(
                        float(settings.RTM_MAIL_FINAL_REPLY_SECONDS),
                        wait_until - time.monotonic(),
                    ),
                )
                try:
                    send_once(
                        connection,
                        message,
                        lambda row=row: _mark_sent(row, confirmed),
                        final_reply_timeout=final_wait,
                    )
                    sent += 1
                    confirmed.append(row.pk)
                except LeaseLost:
                    continue
                except UnconfirmedAfterCommit as exc:
                    # The server has the whole message and said nothing: its own state, sent
                    # again after the grace period. The run ends here (the server is sick).
                    logger.warning("notification %s: no reply after end of data: %s", row.pk, exc)
                    _mark_unanswered(row, f"no reply after end of data: {exc}")
                    stop = True
                except Exception as exc:  # noqa: BLE001 - refusals, network/protocol errors
                    after_commit = isinstance(exc, RefusedAfterCommit)
                    from_status = Status.SENT if after_commit else Status.SENDING
                    code = _smtp_code(exc)
                    error = f"refused: {exc}" if after_commit else f"{type(exc).__name__}: {exc}"
                    if code is not None and 500 <= code < 600:
                        _mark_failed(row, error, from_status=from_status)
                    else:
                        _mark_retry(row, error, from_status=from_status)
                    # A refusal of one message leaves the session usable (RSET); a network
                    # error or a 421 ("closing the channel") fails every other row too.
                    if code is None or code == 421:
                        _drop(connection)
                        if code == 421 or isinstance(exc, OSError):
                            row.refresh_from_db(fields=["next_attempt_at"])
                            _release(untried, not_before=row.next_attempt_at)
                            untried = []
                            stop = True
            _confirm(confirmed, lease)
            _release(untried)
            untried = []
            if stop:
                break
    finally:
        try:
            _confirm(confirmed, lease)
        except Exception:  # the database is gone: the sweep sends these again (same Message-ID)
            logger.warning("could not record %s replies", len(confirmed), exc_info=True)
        _release(untried)  # a soft time limit or a database error mid-batch
        try:
            connection.close()
        except Exception:
            logger.debug("closing the mail connection failed", exc_info=True)
    if more_due:
        queue_delivery(event_key)  # the budget ran out: the next run goes on
    return sent


def _drop(connection: Any) -> None:
    try:
        connection.close()
    except Exception:  # it is broken already
        logger.debug("closing a broken mail connection failed", exc_info=True)
    if hasattr(connection, "connection"):
        connection.connection = None


def outbox_sweep(*, now: datetime | None = None) -> int:
    """Return expired leases to pending, make rows marked sent by a run that died before
    recording the server's reply "unanswered", and re-queue whatever is due. Idempotent."""
    now = now or timezone.now()
    reclaimed = Notification.objects.filter(status=Status.SENDING, lease_until__lt=now).update(
        status=Status.PENDING, lease_until=None, next_attempt_at=timezone.now()
    )
    # Marked sent, but the worker died before the server's reply was recorded (its lease
    # ran out): the server may or may not have it, as when a reply never comes. Sent
    # again after the grace period with the same Message-ID, never silently lost.
    real_now = timezone.now()
    Notification.objects.filter(status=Status.SENT, lease_until__lt=now).update(
        status=Status.UNANSWERED,
        lease_until=None,
        last_error="the delivering worker stopped before the server's reply was recorded",
        retry_until=Coalesce(
            "retry_until", Value(real_now + timedelta(hours=settings.RTM_MAIL_RETRY_HOURS))
        ),
        next_attempt_at=real_now + timedelta(minutes=settings.RTM_MAIL_UNANSWERED_GRACE_MINUTES),
    )
    # Unanswered after the end of data: once the grace period is over, send again (same
    # Message-ID). The error stays on the row until a delivery succeeds.
    reclaimed += Notification.objects.filter(
        status=Status.UNANSWERED, next_attempt_at__lte=now
    ).update(status=Status.PENDING)
    due = Notification.objects.filter(channel=Channel.EMAIL, status=Status.PENDING).filter(
        Q(attempts=0, created_at__lte=now - SWEEP_GRACE)
        | Q(attempts__gt=0, next_attempt_at__lte=now)
    )
    count = due.count()
    if count or reclaimed:
        queue_delivery(None)
    return count


def notification_retry(*, notification_ids: list[int] | None = None) -> int:
    """A coordinator's retry of failed rows: back to pending with a fresh attempt budget."""
    failed = Notification.objects.filter(status__in=[Status.FAILED, Status.UNANSWERED])
    if notification_ids is not None:
        failed = failed.filter(pk__in=notification_ids)
    count = failed.update(
        status=Status.PENDING, attempts=0, retry_until=None, next_attempt_at=timezone.now()
    )
    if count:
        queue_delivery(None)
    return count


def digests_build(*, now: datetime | None = None) -> int:
    """Turn every member's waiting digest items into one digest row each."""
    now = now or timezone.now()
    with transaction.atomic():
        waiting = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(status=Status.DIGEST, created_at__lte=now)
            .order_by("created_at", "pk")
            .values_list("pk", "recipient_id")
        )
        by_user: dict[int, list[int]] = defaultdict(list)
        for pk, user_id in waiting:
            by_user[user_id].append(pk)
        digests = [
            Notification(
                kind=Kind.DIGEST,
                event_key=f"digest:{user_id}:{ids[-1]}",
                recipient_id=user_id,
                channel=Channel.EMAIL,
                context={"items": ids},
                created_at=now,
                next_attempt_at=now,
            )
            for user_id, ids in by_user.items()
        ]
        Notification.objects.bulk_create(digests, ignore_conflicts=True)
        Notification.objects.filter(pk__in=[pk for pk, _ in waiting]).update(
            status=Status.DIGESTED, sent_at=now
        )
        if digests:
            queue_delivery(None)
    return len(digests)


# --- Preferences and unsubscribe -------------------------------------------


def preferences_for(user: Any) -> dict[str, str]:
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "mode"))
    return {kind: mode_for(kind, chosen.get(kind)) for kind in DEFAULT_MODES}


def preference_save(*, user: Any, kind: str, mode: str) -> None:
    if kind in LOCKED_KINDS or kind not in DEFAULT_MODES or mode not in Mode.values:
        return
    Preference.objects.update_or_create(user=user, kind=kind, defaults={"mode": mode})


def unsubscribe_kind(*, user_id: int, kind: str) -> list[str]:
    """One-click unsubscribe: switch `kind` (or, for the digest, every digest kind) off."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return []
    if kind == Kind.DIGEST:
        kinds = [k for k, m in preferences_for(user).items() if m == Mode.DIGEST]
    else:
        kinds = [kind]
    kinds = [k for k in kinds if k not in LOCKED_KINDS and k in DEFAULT_MODES]
    for k in kinds:
        preference_save(user=user, kind=k, mode=Mode.OFF)
    return kinds


# --- Follows and the in-app list -------------------------------------------


def follow_set(*, user: Any, statement: Any, following: bool) -> None:
    if following:
        Follow.objects.get_or_create(user=user, statement=statement)
    else:
        Follow.objects.filter(user=user, statement=statement).delete()


def notification_mark_read(*, user: Any, notification_id: int) -> Notification | None:
    from notifications.selectors import inapp_notifications_for

    row = (
        inapp_notifications_for(user).filter(pk=notification_id).select_related("statement").first()
    )
    if row is not None and row.read_at is None:
        row.read_at = timezone.now()
        row.save(update_fields=["read_at"])
    return row


def notifications_mark_all_read(*, user: Any) -> int:
    return Notification.objects.filter(
        recipient=user, channel=Channel.INAPP, read_at__isnull=True
    ).update(read_at=timezone.now())


def notifications_mark_read_for_statement(*, user: Any, statement_id: int) -> int:
    """Mark every unread in-app notification of `user` about one paper as read."""
    return Notification.objects.filter(
        recipient=user, channel=Channel.INAPP, read_at__isnull=True, statement_id=statement_id
    ).update(read_at=timezone.now())


# --- Public subscribers ----------------------------------------------------


def subscriber_subscribe(*, email: str, language: str = "de") -> PublicSubscriber:
    """Start (or restart) double opt-in. At most one confirmation mail per hour."""
    email = email.strip().lower()
    lang = language if language in dict(settings.LANGUAGES) else "de"
    with transaction.atomic():
        subscriber, created = PublicSubscriber.objects.select_for_update().get_or_create(
            email=email, defaults={"language": lang}
        )
        if subscriber.is_active:
            return subscriber  # already subscribed: nothing to confirm, nothing revealed
        if subscriber.unsubscribed_at is not None:
            subscriber.unsubscribed_at = None
            subscriber.confirmed_at = None
            subscriber.language = lang
            subscriber.save(update_fields=["unsubscribed_at", "confirmed_at", "language"])
        hour = timezone.now().strftime("%Y%m%d%H")
        key = f"{Kind.SUBSCRIPTION_CONFIRM}:{subscriber.pk}:{hour}"
        Notification.objects.bulk_create(
            [
                Notification(
                    kind=Kind.SUBSCRIPTION_CONFIRM,
                    event_key=key,
                    subscriber=subscriber,
                    channel=Channel.EMAIL,
                )
            ],
            ignore_conflicts=True,
        )
        queue_delivery(key)
    return subscriber


def subscriber_confirm(*, token: str) -> PublicSubscriber | None:
    subscriber = PublicSubscriber.objects.filter(token=token).first()
    if subscriber is None:
        return None
    if subscriber.confirmed_at is None or subscriber.unsubscribed_at is not None:
        subscriber.confirmed_at = timezone.now()
        subscriber.unsubscribed_at = None
        subscriber.save(update_fields=["confirmed_at", "unsubscribed_at"])
    return subscriber


def subscriber_unsubscribe(*, token: str) -> PublicSubscriber | None:
    subscriber = PublicSubscriber.objects.filter(token=token).first()
    if subscriber is not None and subscriber.unsubscribed_at is None:
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save(update_fields=["unsubscribed_at"])
    return subscriber
