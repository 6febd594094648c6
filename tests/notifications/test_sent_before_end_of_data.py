"""The "sent" commit, its lease guard and its place before the end of DATA (issue 14).

Against a real SMTP server (aiosmtpd) on a socket. notifications/smtp.py ends a
message's DATA only after mark_sent() committed "sent" for a row this worker still
holds; these tests fail if the guard or the order breaks.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection

from core.events import EventKind, emit
from notifications import services
from notifications.models import Channel, Notification, Status
from tests.factories import UserFactory, make_statement
from tests.realservices import _aiosmtpd_controller, free_port, require_postgres


def _emails() -> list[Notification]:
    return list(Notification.objects.filter(channel=Channel.EMAIL).order_by("pk"))


@pytest.mark.django_db
def test_a_lease_taken_over_before_the_mark_means_the_server_never_gets_our_copy(
    smtp_server, author, monkeypatch
):
    """While our worker streamed the body, the lease expired, the sweep returned the row
    and another worker claimed it. Our copy must never be completed, and the row stays
    with the other worker (not marked sent by us)."""
    for _ in range(2):
        UserFactory()
    statement = make_statement(author=author, state="consultation")
    Notification.objects.all().delete()  # only this test's event, not the factory's
    emit(EventKind.CONSULTATION_OPENED, statement=statement, actor=author)
    rows = _emails()
    assert len(rows) >= 3
    victim = rows[1]
    taken_over = {}
    original = services._mark_sent

    def mark_after_takeover(row: Notification, *confirmed) -> bool:
        if row.pk == victim.pk and not taken_over:
            # The sweep gives the expired lease back, a second worker claims the row.
            Notification.objects.filter(pk=row.pk).update(
                status=Status.PENDING, lease_until=None, next_attempt_at=row.created_at
            )
            (claimed,) = services._claim(None, 1)
            taken_over["lease"] = claimed.lease_until
        return original(row, *confirmed)

    monkeypatch.setattr(services, "_mark_sent", mark_after_takeover)
    assert services.outbox_deliver() == len(rows) - 1

    received = smtp_server.recipients()
    assert victim.recipient.email not in received
    assert sorted(received) == sorted(r.recipient.email for r in rows if r.pk != victim.pk)
    victim.refresh_from_db()
    assert victim.status == Status.SENDING and victim.sent_at is None
    assert victim.lease_until == taken_over["lease"]  # still the other worker's
    # The other worker's lease runs out too: the sweep and a delivery send it exactly once.
    services.outbox_sweep(now=victim.lease_until + timedelta(seconds=1))
    assert services.outbox_deliver() == 1
    assert sorted(smtp_server.recipients()) == sorted(r.recipient.email for r in rows)


@pytest.mark.postgres
def test_the_row_is_committed_sent_before_the_server_sees_the_end_of_data(
    transactional_db, author, settings
):
    """At the moment the server has the whole message (aiosmtpd calls handle_DATA on the
    final "."), another database connection already reads the row as "sent"."""
    require_postgres()
    import psycopg

    params = connection.settings_dict
    observer = psycopg.connect(
        host=params["HOST"] or "127.0.0.1",
        port=params["PORT"] or 5432,
        user=params["USER"],
        password=params["PASSWORD"] or None,
        dbname=params["NAME"],
        autocommit=True,
    )
    seen: list[tuple[str, str]] = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            for address in envelope.rcpt_tos:
                row = observer.execute(
                    "SELECT n.status FROM notifications_notification n "
                    "JOIN accounts_user u ON u.id = n.recipient_id "
                    "WHERE u.email = %s AND n.channel = 'email'",
                    [address],
                ).fetchone()
                seen.append((address, row[0]))
            return "250 OK"

    for _ in range(3):
        UserFactory()
    # Made (and its own mails delivered to locmem) before the SMTP server is configured.
    statement = make_statement(author=author, state="consultation")
    Notification.objects.all().delete()  # only this test's event, not the factory's
    port = free_port()
    controller = _aiosmtpd_controller()(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        # Delivery is queued on commit (eager here); a second run finds nothing left.
        emit(EventKind.CONSULTATION_OPENED, statement=statement, actor=author)
        services.outbox_deliver()
        rows = _emails()
        expected = len(rows)
        assert expected >= 4 and {row.status for row in rows} == {Status.SENT}
    finally:
        controller.stop()
        observer.close()
    assert len(seen) == expected
    assert {status for _address, status in seen} == {Status.SENT.value}
