"""Mail delivery when the mail server misbehaves, against a real SMTP server (aiosmtpd):
silent after the data, 421 for a long stretch, 550, nobody listening (issue 21).

What must hold: nothing is lost silently (a mail the server never confirmed has its own
visible state and goes out again, with the same Message-ID); temporary failures heal
without a coordinator for 48 hours; a permanent refusal is visible at once; rows a
broken run never tried are not charged an attempt.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications import services
from notifications.models import Channel, Notification, Status
from tests.factories import UserFactory, make_statement
from tests.realservices import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_mails(author):
    """Three members get one mail each (the consultation opened); nothing else waits."""
    people = [UserFactory() for _ in range(3)]
    make_statement(author=author, state="consultation")
    Notification.objects.filter(channel=Channel.EMAIL).exclude(recipient__in=people).delete()
    return people


def rows() -> list[Notification]:
    return list(Notification.objects.filter(channel=Channel.EMAIL).order_by("pk"))


def test_a_server_silent_after_the_data_leaves_a_visible_row_that_is_sent_again(
    controllable_smtp, three_mails, settings, client_for, coordinator
):
    settings.RTM_MAIL_FINAL_REPLY_SECONDS = 1
    server = controllable_smtp
    server.mode = "hang"

    assert services.outbox_deliver() == 0
    first, *others = rows()
    # The server took the first message and never answered: not "sent", its own state.
    assert len(server.received) == 1 and not server.confirmed
    assert first.status == Status.UNANSWERED
    assert "no reply after end of data" in first.last_error
    # The run stopped at that timeout; the rows it never tried are not charged.
    assert [(r.status, r.attempts) for r in others] == [(Status.PENDING, 0)] * 2
    # The coordination sees it among the mails that need attention.
    page = client_for(coordinator).get("/coordination/notifications/")
    assert first.recipient.email in page.content.decode()

    # The server answers again: the others go out; the unanswered one waits its grace.
    server.mode = "ok"
    assert services.outbox_deliver() == 2
    assert Notification.objects.get(pk=first.pk).status == Status.UNANSWERED
    grace = timedelta(minutes=settings.RTM_MAIL_UNANSWERED_GRACE_MINUTES)
    services.outbox_sweep(now=timezone.now() + grace - timedelta(minutes=1))
    assert Notification.objects.get(pk=first.pk).status == Status.UNANSWERED
    services.outbox_sweep(now=timezone.now() + grace + timedelta(seconds=1))
    Notification.objects.filter(pk=first.pk).update(next_attempt_at=timezone.now())
    assert services.outbox_deliver() == 1
    first.refresh_from_db()
    assert (first.status, first.last_error) == (Status.SENT, "")
    # Sent again with the same Message-ID, so the receiving side can fold the two.
    ids = [m["Message-ID"] for m in server.received]
    assert ids.count(f"<notification-{first.pk}@127.0.0.1>") == 2
    assert len(server.confirmed) == 3 and len(server.received) == 4


def test_the_final_reply_is_awaited_as_long_as_the_rfc_allows_within_the_run(
    three_mails, settings, monkeypatch
):
    """RFC 5321 §4.5.3.2.6: 10 minutes for the reply to the end of DATA, but never past
    the task's soft time limit."""
    from notifications import smtp

    waits = []

    def record(connection, message, mark_sent, *, final_reply_timeout=None):
        waits.append(final_reply_timeout)
        mark_sent()

    monkeypatch.setattr(smtp, "send_once", record)
    services.outbox_deliver()
    assert waits == [600.0] * 3
    assert settings.RTM_MAIL_TASK_SOFT_LIMIT > 600 + settings.RTM_MAIL_RUN_SECONDS


def test_a_long_421_stretch_heals_by_itself_within_48_hours(controllable_smtp, three_mails):
    server = controllable_smtp
    server.mode = "421"
    assert services.outbox_deliver() == 0
    first, *others = rows()
    assert (first.status, first.attempts) == (Status.PENDING, 1) and "421" in first.last_error
    assert first.retry_until - timezone.now() > timedelta(hours=47, minutes=59)
    # Never tried in that run: not charged, and they wait with the first.
    for row in others:
        assert (row.status, row.attempts, row.last_error) == (Status.PENDING, 0, "")
        assert row.next_attempt_at >= first.next_attempt_at - timedelta(seconds=1)

    # Many more tries: the backoff grows and is capped at an hour; still nobody "failed".
    delays = []
    for _ in range(10):
        Notification.objects.filter(status=Status.PENDING).update(next_attempt_at=timezone.now())
        before = timezone.now()
        services.outbox_deliver()
        row = Notification.objects.exclude(attempts=0).order_by("-attempts", "pk").first()
        delays.append(row.next_attempt_at - before)
    assert max(delays) <= timedelta(hours=1, seconds=5)
    assert max(delays) >= timedelta(minutes=59)
    assert not Notification.objects.filter(status=Status.FAILED).exists()

    # The server is back: everything goes out, without a coordinator.
    server.mode = "ok"
    Notification.objects.filter(status=Status.PENDING).update(next_attempt_at=timezone.now())
    assert services.outbox_deliver() == 3
    assert {r.status for r in rows()} == {Status.SENT}


def test_after_48_hours_of_temporary_failure_the_row_fails_visibly(controllable_smtp, three_mails):
    controllable_smtp.mode = "421"
    services.outbox_deliver()
    first = rows()[0]
    Notification.objects.filter(pk=first.pk).update(
        retry_until=timezone.now() - timedelta(seconds=1), next_attempt_at=timezone.now()
    )
    services.outbox_deliver()
    first.refresh_from_db()
    assert first.status == Status.FAILED and "421" in first.last_error


def test_a_550_fails_at_once_and_visibly_the_others_go_out(
    controllable_smtp, three_mails, client_for, coordinator
):
    bounce = three_mails[1]
    controllable_smtp.refuse = {bounce.email}
    assert services.outbox_deliver() == 2
    row = Notification.objects.get(recipient=bounce, channel=Channel.EMAIL)
    assert (row.status, row.attempts) == (Status.FAILED, 1) and "550" in row.last_error
    page = client_for(coordinator).get("/coordination/notifications/").content.decode()
    assert bounce.email in page


def test_nobody_listening_charges_only_the_row_that_was_tried(three_mails, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 2
    assert services.outbox_deliver() == 0
    attempts = [(r.status, r.attempts) for r in rows()]
    assert attempts == [(Status.PENDING, 1), (Status.PENDING, 0), (Status.PENDING, 0)]
    assert "Connection refused" in rows()[0].last_error or "111" in rows()[0].last_error
