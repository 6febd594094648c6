"""The two-phase send against a real SMTP server in this process (aiosmtpd)."""

from __future__ import annotations

import pytest
from django.core import mail

from notifications import services
from notifications.models import Channel, Notification, Status
from tests.factories import UserFactory, make_statement
from tests.realservices import _aiosmtpd_controller, free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def picky_smtp(settings):
    """Refuses RCPT for bounce@example.org, accepts everything else; counts sessions."""
    Controller = _aiosmtpd_controller()
    received: list[str] = []
    sessions: set[int] = set()

    class Handler:
        async def handle_RCPT(self, server, session, envelope, address, options):
            if address == "bounce@example.org":
                return "550 no such user here"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):
            sessions.add(id(session))
            received.extend(envelope.rcpt_tos)
            return "250 OK"

    port = free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield received, sessions
    controller.stop()


def test_a_refused_recipient_fails_visibly_and_the_others_go_out_on_one_connection(
    picky_smtp, author
):
    received, sessions = picky_smtp
    good = [UserFactory() for _ in range(5)]
    bounce = UserFactory(email="bounce@example.org")
    make_statement(author=author, state="consultation")  # emits CONSULTATION_OPENED
    expected = set(
        Notification.objects.filter(channel=Channel.EMAIL)
        .exclude(recipient=bounce)
        .values_list("recipient__email", flat=True)
    )
    assert services.outbox_deliver() == len(expected)
    assert sorted(received) == sorted(expected) and {u.email for u in good} <= set(received)
    assert len(sessions) == 1  # one SMTP connection for the whole batch
    row = Notification.objects.get(recipient=bounce, channel=Channel.EMAIL)
    # 550 is permanent: failed at once (the coordination sees it), not retried for days.
    assert row.status == Status.FAILED and row.attempts == 1 and "550" in row.last_error
    assert Notification.objects.filter(channel=Channel.EMAIL, status=Status.SENT).count() == len(
        expected
    )
    # Running again sends nothing twice.
    assert services.outbox_deliver() == 0
    assert len(received) == len(expected)
    assert mail.outbox == []
