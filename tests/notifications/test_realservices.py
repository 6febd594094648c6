"""The outbox against the real things: PostgreSQL, a private redis-server, a real
`celery worker` subprocess and a real SMTP server (aiosmtpd). Counted at the server."""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from core.events import EventKind
from notifications import services
from notifications.models import Channel, Kind, Mode, Notification, Preference, Status
from statements.models import Statement
from tests.factories import UserFactory, make_statement
from tests.notifications.conftest import text_of
from tests.realservices import WorkerProcess, require_postgres

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]


def in_consultation_quietly(author):
    """A paper members may see, without the submit's own notifications (the test emits)."""
    statement = make_statement(author=author, state="draft")
    Statement.objects.filter(pk=statement.pk).update(state="consultation")
    statement.refresh_from_db()
    return statement


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    """Skip (or fail in CI) before starting Redis and SMTP for nothing."""
    require_postgres()


def smtp_env(port: int) -> dict[str, str]:
    return {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port), "EMAIL_USE_TLS": "false"}


def make_members(count: int, prefix: str = "m") -> list[User]:
    users = User.objects.bulk_create(
        [
            User(
                email=f"{prefix}{i}@example.org",
                display_name=f"{prefix.upper()} {i}",
                membership_status="member",
                member_since=timezone.now(),
            )
            for i in range(count)
        ]
    )
    return users


def settle(sink, expected: int, timeout: float = 60.0) -> None:
    """Wait for `expected` messages, then a moment longer to catch any duplicates."""
    sink.wait_for(expected, timeout=timeout)
    time.sleep(1.5)


@pytest.fixture
def worker_factory(private_redis, smtp_server, use_real_broker):
    use_real_broker(private_redis.url)
    started: list[WorkerProcess] = []

    def start() -> WorkerProcess:
        worker = WorkerProcess(private_redis.url, extra_env=smtp_env(smtp_server.port))
        worker.start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def test_event_reaches_exactly_the_expected_people_in_their_language(
    transactional_db, worker_factory, smtp_server
):
    require_postgres()
    worker = worker_factory()
    author = UserFactory(display_name="Anna Autorin")
    german = UserFactory(display_name="Greta Deutsch", language="de")
    english = UserFactory(display_name="Emma English", language="en")
    quiet = UserFactory(display_name="Otto Off")
    Preference.objects.create(user=quiet, kind=Kind.CONSULTATION_OPENED, mode=Mode.OFF)
    UserFactory(membership_status="registered")
    UserFactory(membership_status="suspended")

    statement = make_statement(author=author, state="consultation", title="Bezahlkarte")
    expected = set(
        User.objects.filter(membership_status="member", is_active=True)
        .exclude(pk__in=[author.pk, quiet.pk])
        .values_list("email", flat=True)
    )
    settle(smtp_server, len(expected))
    assert sorted(smtp_server.recipients()) == sorted(expected), worker.output()
    by_rcpt = {
        rcpts[0]: msg
        for (_f, rcpts), msg in zip(smtp_server.envelopes, smtp_server.messages, strict=True)
    }
    from email.header import decode_header, make_header

    subject_en = str(make_header(decode_header(by_rcpt[english.email]["Subject"])))
    subject_de = str(make_header(decode_header(by_rcpt[german.email]["Subject"])))
    assert "open for consultation" in subject_en and "Konsultation" in subject_de
    assert "Hello Emma English" in text_of(by_rcpt[english.email])
    assert statement.get_absolute_url() in text_of(by_rcpt[german.email])
    assert Notification.objects.filter(channel=Channel.EMAIL, status=Status.SENT).count() == len(
        expected
    )

    # The one-click link in the header works without logging in: GET asks, POST does it.
    message = by_rcpt[german.email]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = message["List-Unsubscribe"].strip("<>")
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    anonymous = Client(enforce_csrf_checks=True)
    assert anonymous.get(path).status_code == 200
    assert anonymous.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert Preference.objects.get(user=german, kind=Kind.CONSULTATION_OPENED).mode == Mode.OFF


def test_redis_down_requests_succeed_and_everything_arrives_once_it_is_back(
    transactional_db, private_redis, smtp_server, use_real_broker, settings
):
    require_postgres()
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "subscribe": "1000/h/ip"}
    use_real_broker(private_redis.url)
    private_redis.stop()
    client = Client()
    slowest = 0.0
    for i in range(50):
        started = time.monotonic()
        response = client.post("/subscribe/", {"email": f"leser{i}@example.org"})
        slowest = max(slowest, time.monotonic() - started)
        assert response.status_code == 200
    # Not a benchmark: a hang detector (kombu/celery have hung for minutes on a dead broker).
    assert slowest < 5.0, slowest
    print(f"slowest request with Redis down: {slowest:.3f}s")
    assert Notification.objects.filter(status=Status.PENDING).count() == 50

    private_redis.start()
    worker = WorkerProcess(private_redis.url, extra_env=smtp_env(smtp_server.port))
    worker.start()
    try:
        # The beat sweep, one minute later: re-queues what the broker never got.
        services.outbox_sweep(now=timezone.now() + timedelta(minutes=2))
        settle(smtp_server, 50)
        services.outbox_sweep(now=timezone.now() + timedelta(minutes=2))  # a second sweep: no-op
        settle(smtp_server, 50, timeout=2)
    finally:
        worker.stop()
    counts = Counter(smtp_server.recipients())
    assert len(counts) == 50, worker.output()
    assert set(counts.values()) == {1}


class GatedMessages(list):
    """The SMTP sink's message list; holds the server's 250 reply for message `at`
    until the test says so, so the worker can be killed in exactly the window where
    the server has the message and the worker has not heard back yet."""

    def __init__(self, at: int) -> None:
        super().__init__()
        self.at = at
        self.reached = threading.Event()
        self.release = threading.Event()

    def append(self, item) -> None:
        super().append(item)
        if len(self) == self.at:
            self.reached.set()
            self.release.wait(30)


def test_sigkill_in_the_middle_of_500_loses_nothing_and_repeats_only_what_was_in_flight(
    transactional_db, worker_factory, smtp_server
):
    """Two workers SIGKILLed mid-event, one of them while the server holds a message's
    reply. Every member gets the mail; the only repeats are the (at most two) messages a
    killed worker had in flight, sent again with the same Message-ID."""
    require_postgres()
    author = UserFactory()
    make_members(499)
    statement = in_consultation_quietly(author)
    expected = User.objects.filter(membership_status="member").exclude(pk=author.pk).count()
    assert expected >= 500
    gate = GatedMessages(at=150)
    smtp_server.messages = gate

    worker = worker_factory()
    from django.db import transaction

    from core.events import emit

    with transaction.atomic():
        emit(EventKind.CONSULTATION_OPENED, statement=statement, actor=author)
    assert gate.reached.wait(60), worker.output()
    worker.kill()  # SIGKILL while the server holds message 150's reply
    gate.release.set()
    assert len(smtp_server.messages) == 150
    held = smtp_server.messages[149]["Message-ID"]

    # Second worker, killed at a random moment a little later: whether it dies before
    # or after an end of DATA, nothing is lost (notifications/smtp.py).
    worker = worker_factory()
    later = timezone.now() + timedelta(seconds=services.LEASE_SECONDS + 60)
    services.outbox_sweep(now=later)
    smtp_server.wait_for(300, timeout=60)
    worker.kill()

    # Third worker: the sweep (once the leases and the grace for unanswered rows are
    # over) finishes the job.
    worker = worker_factory()
    grace = timedelta(minutes=settings.RTM_MAIL_UNANSWERED_GRACE_MINUTES)
    services.outbox_sweep(now=later + timedelta(seconds=services.LEASE_SECONDS + 60))
    services.outbox_sweep(now=later + 2 * grace + timedelta(seconds=2 * services.LEASE_SECONDS))
    # Time compressed: what waits for its grace period is due now.
    Notification.objects.filter(status=Status.PENDING).update(next_attempt_at=timezone.now())
    services.outbox_sweep()
    deadline = time.monotonic() + 120
    while len(set(smtp_server.recipients())) < expected and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.5)  # a moment longer to catch any further copy
    counts = Counter(smtp_server.recipients())
    assert len(counts) == expected, worker.output()
    ids = Counter(message["Message-ID"] for message in smtp_server.messages)
    repeated = {mid: n for mid, n in ids.items() if n > 1}
    assert held in repeated  # its reply was never recorded: sent again, same Message-ID
    assert len(repeated) <= 4 and set(repeated.values()) == {2}  # two kills, one connection
    assert sum(counts.values()) - expected == len(repeated)
    assert (
        Notification.objects.filter(channel=Channel.EMAIL).exclude(status=Status.SENT).count() == 0
    )


def test_fan_out_queries_do_not_grow_with_recipients(db):
    require_postgres()
    author = UserFactory()
    statement = in_consultation_quietly(author)
    make_members(20, prefix="a")

    def queries_for_event() -> int:
        with CaptureQueriesContext(connection) as ctx:
            services.notifications_for_event(
                kind=EventKind.CONSULTATION_OPENED,
                statement=statement,
                actor=author,
                target=None,
                extra={},
            )
        return len(ctx.captured_queries)

    small = queries_for_event()
    rows_small = Notification.objects.count()
    make_members(1980, prefix="b")
    large = queries_for_event()
    assert Notification.objects.count() - rows_small >= 2 * 2000  # in-app + e-mail for each
    assert small == large, (small, large)
    # Recipients with their preference, the paper read again and its co-authors (who
    # may see it), the INSERT.
    assert large <= 4
