"""The outbox rows through claim, mark sent, retry and skip: only ours, only theirs.

Each step changes rows with one guarded UPDATE. The delivery tests watch the mails that
come out; a mutation run (docs/mutation.md) showed that the guards themselves could go
without a test noticing: a claim that grabbed every pending row (beyond its batch, of
other events, in-app ones too) or set a lease already expired, a retry or a skip that
rewrote every row another worker was sending, a "sent" row keeping an old error, and a
backoff that was not the one documented. These tests pin each guard.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications import services
from notifications.models import Channel, Notification, PublicSubscriber, Status
from tests.factories import UserFactory, make_statement

pytestmark = pytest.mark.django_db

LEASE = timedelta(seconds=services.LEASE_SECONDS)


def emails(**filters) -> list[Notification]:
    return list(Notification.objects.filter(channel=Channel.EMAIL, **filters).order_by("pk"))


def state(row: Notification) -> tuple:
    row.refresh_from_db()
    return (row.status, row.attempts, row.lease_until, row.last_error)


@pytest.fixture
def consultation(author):
    """Five members get a mail (and an in-app note) that the consultation opened."""
    for _ in range(5):
        UserFactory()
    paper = make_statement(author=author, state="consultation")
    rows = emails()
    assert len(rows) >= 5 and {r.status for r in rows} == {Status.PENDING}
    return paper, rows


def test_a_claim_takes_its_batch_of_due_mails_of_its_event_and_nothing_else(consultation, coauthor):
    _, rows = consultation
    event = rows[0].event_key
    later = rows[-1]
    Notification.objects.filter(pk=later.pk).update(next_attempt_at=timezone.now() + LEASE)
    make_statement(author=coauthor, state="consultation", title="Anderes")
    others = [r for r in emails() if r.event_key != event]
    in_app = list(Notification.objects.filter(channel=Channel.INAPP))
    assert others and in_app
    untouched = {r.pk: state(r) for r in [*rows[2:], *others, *in_app]}

    before = timezone.now()
    claimed = services._claim(event, 2)
    assert [r.pk for r in claimed] == [rows[0].pk, rows[1].pk]
    for row in claimed:
        assert (row.status, row.attempts) == (Status.SENDING, 1)
        assert before + LEASE <= row.lease_until <= timezone.now() + LEASE
    assert {r.pk: state(r) for r in [*rows[2:], *others, *in_app]} == untouched

    # The lease is in the future: the sweep leaves rows being sent where they are.
    services.outbox_sweep()
    assert {state(r)[0] for r in claimed} == {Status.SENDING}
    # Claiming everything due still never takes in-app notes.
    everything = services._claim(None, 100)
    assert everything and {r.channel for r in everything} == {Channel.EMAIL}
    assert later.pk not in {r.pk for r in everything}  # not due yet


def test_claimed_rows_carry_what_the_mail_needs(consultation, django_assert_num_queries):
    """Building a batch of mails asks no query per row for its recipient or paper."""
    claimed = services._claim(None, 100)
    with django_assert_num_queries(0):
        for row in claimed:
            assert row.recipient.email and row.statement.slug
            assert row.subscriber is None


def test_claimed_publication_mails_carry_their_public_subscriber(author, django_assert_num_queries):
    subscriber = PublicSubscriber.objects.create(
        email="leserin@example.org", confirmed_at=timezone.now()
    )
    make_statement(author=author, state="published")
    claimed = [r for r in services._claim(None, 500) if r.subscriber_id]
    assert [r.subscriber_id for r in claimed] == [subscriber.pk]
    with django_assert_num_queries(0):
        assert claimed[0].subscriber.email == "leserin@example.org"
        assert claimed[0].statement.slug


def test_delivered_mails_are_marked_sent_cleanly(consultation):
    _, rows = consultation
    retried = rows[0]
    Notification.objects.filter(pk=retried.pk).update(attempts=1, last_error="timeout earlier")
    before = timezone.now()
    services.outbox_deliver()
    for row in rows:
        row.refresh_from_db()
        assert (row.status, row.lease_until, row.last_error) == (Status.SENT, None, "")
        assert before <= row.sent_at <= timezone.now()


def test_a_row_without_lease_is_never_marked_sent(consultation):
    _, rows = consultation
    row = rows[0]
    assert row.lease_until is None
    assert services._mark_sent(row) is False
    assert state(row)[0] == Status.PENDING


def test_retries_back_off_doubling_from_a_minute_capped_at_an_hour_then_fail_after_48h(
    consultation, settings
):
    _, rows = consultation
    row = rows[0]
    schedule = (60, 120, 240, 480, 960, 1920, 3600, 3600, 3600)
    retry_until = []
    for attempt, seconds in enumerate(schedule, start=1):
        Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
        (claimed,) = services._claim(row.event_key, 1)
        assert claimed.attempts == attempt
        before = timezone.now()
        services._mark_retry(claimed, "421 try again later")
        row.refresh_from_db()
        assert (row.status, row.lease_until, row.sent_at) == (Status.PENDING, None, None)
        assert before + timedelta(seconds=seconds) <= row.next_attempt_at
        assert row.next_attempt_at <= timezone.now() + timedelta(seconds=seconds)
        retry_until.append(row.retry_until)  # set once, at the first failure
    assert set(retry_until) == {retry_until[0]}
    assert row.retry_until - row.created_at >= timedelta(hours=settings.RTM_MAIL_RETRY_HOURS)
    # The retry window is over: the next temporary failure is final.
    Notification.objects.filter(pk=row.pk).update(
        next_attempt_at=timezone.now(), retry_until=timezone.now()
    )
    (claimed,) = services._claim(row.event_key, 1)
    services._mark_retry(claimed, "421 try again later")
    assert state(row)[:2] == (Status.FAILED, len(schedule) + 1)


def test_a_mail_refused_after_the_mark_is_pending_again_and_not_sent(consultation, settings):
    _, rows = consultation
    settings.EMAIL_BACKEND = "tests.mailbackends.DownBackend"
    services.outbox_deliver()
    for row in rows:
        row.refresh_from_db()
        assert (row.status, row.sent_at, row.lease_until) == (Status.PENDING, None, None)
        assert "SMTP down" in row.last_error


def test_a_long_error_is_kept_to_2000_characters(consultation):
    (claimed,) = services._claim(None, 1)
    services._mark_retry(claimed, "x" * 5000)
    assert len(state(claimed)[3]) == 2000


@pytest.mark.parametrize("step", ["retry", "skip"])
def test_ending_one_row_leaves_the_rows_other_workers_hold(consultation, step):
    (mine,) = services._claim(None, 1)
    (theirs,) = services._claim(None, 1)  # another worker's claim
    waiting = emails(status=Status.PENDING)[0]
    held, queued = state(theirs), state(waiting)
    if step == "retry":
        services._mark_retry(mine, "550 mailbox unavailable")
        assert state(mine)[0] == Status.PENDING
    else:
        services._mark_skipped(mine, "nothing to send (hidden)")
        assert state(mine) == (Status.SKIPPED, 1, None, "nothing to send (hidden)")
    assert state(theirs) == held
    assert state(waiting) == queued


@pytest.mark.parametrize("step", ["retry", "skip"])
def test_a_row_taken_over_and_sent_by_another_worker_stays_sent(consultation, step):
    (mine,) = services._claim(None, 1)
    # Our lease ran out; the sweep and another worker sent it meanwhile.
    Notification.objects.filter(pk=mine.pk).update(
        status=Status.SENT, lease_until=None, sent_at=timezone.now()
    )
    if step == "retry":
        services._mark_retry(mine, "timeout")
    else:
        services._mark_skipped(mine, "nothing to send")
    assert state(mine) == (Status.SENT, 1, None, "")


def test_a_mark_records_the_reply_of_the_mails_before_it_and_only_ours(consultation):
    first, second, third, *_ = services._claim(None, 3)
    (other,) = services._claim(None, 1)  # another worker's row, also waiting for its reply
    assert services._mark_sent(other) is True
    assert services._mark_sent(first) is True
    # "Sent", reply outstanding: the lease stays until the server's 250 is recorded.
    assert state(first)[:3] == (Status.SENT, 1, first.lease_until)
    replied = [first.pk, other.pk]  # a foreign id in the list is left alone (other lease)
    assert services._mark_sent(second, replied) is True
    assert replied == []
    assert state(first)[2] is None
    assert state(second)[:3] == (Status.SENT, 1, second.lease_until)
    assert state(other)[2] == other.lease_until
    assert state(third)[0] == Status.SENDING


def test_a_mail_marked_sent_whose_worker_died_is_sent_again_not_lost(consultation, settings):
    settings.RTM_MAIL_UNANSWERED_GRACE_MINUTES = 30
    (row,) = services._claim(None, 1)
    assert services._mark_sent(row) is True  # … and the worker is SIGKILLed here
    # While the lease runs, a live worker may still be waiting for the reply: untouched.
    services.outbox_sweep(now=row.lease_until - timedelta(seconds=1))
    assert state(row)[0] == Status.SENT
    services.outbox_sweep(now=row.lease_until + timedelta(seconds=1))
    status, _attempts, lease, error = state(row)
    assert (status, lease) == (Status.UNANSWERED, None)
    assert "stopped before the server's reply" in error
    assert row.next_attempt_at >= timezone.now() + timedelta(minutes=29)
    services.outbox_sweep(now=row.next_attempt_at)
    assert state(row)[0] == Status.PENDING  # sent again, under its own Message-ID


def test_delivery_leaves_no_reply_unrecorded_and_writes_once_per_mail(consultation, mailoutbox):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _, rows = consultation
    with CaptureQueriesContext(connection) as ctx:
        assert services.outbox_deliver() == len(rows)
    marks = [q for q in ctx.captured_queries if "RETURNING" in q["sql"]]
    assert len(marks) == len(rows)
    assert not Notification.objects.filter(status=Status.SENT, lease_until__isnull=False).exists()
