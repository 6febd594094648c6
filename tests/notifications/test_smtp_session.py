"""notifications/smtp.py against a real SMTP server (aiosmtpd): what arrives, and what
the coordination reads when the server says no.

test_smtp.py and test_sent_before_end_of_data.py check who receives a mail and that
"sent" is committed before the end of DATA. A mutation run (docs/mutation.md) found the
rest of the session unwatched: the bytes of the message (line ends, dot-stuffing, the
final line break), the envelope sender, a forwarding server's 251, TCP_NODELAY on the
socket, and the server's reasons for a refusal, which are all the coordination gets to
see on the failed-mail page.
"""

from __future__ import annotations

import socket
from email import message_from_bytes, policy
from email.message import EmailMessage as ReceivedMessage

import pytest
from django.core.mail import EmailMessage
from django.core.mail.backends.smtp import EmailBackend

from notifications import services
from notifications.models import Channel, Notification, Status
from notifications.smtp import send_once
from tests.factories import UserFactory, make_statement
from tests.realservices import _aiosmtpd_controller, free_port

pytestmark = pytest.mark.django_db

SENDER = "Runder Tisch Migration – Büro <positionen@example.org>"


class Server:
    """An aiosmtpd server whose answers a test chooses."""

    def __init__(self) -> None:
        self.envelopes: list[tuple[str, list[str]]] = []
        self.messages: list[ReceivedMessage] = []
        self.mail_reply = self.data_reply = self.end_reply = None
        self.rcpt_replies: dict[str, str] = {}
        self.hang_up_at_end = False


@pytest.fixture
def server(settings):
    base = _aiosmtpd_controller()  # first: it makes aiosmtpd importable next to our app
    from aiosmtpd.smtp import SMTP

    state = Server()

    class Handler:
        async def handle_MAIL(self, srv, session, envelope, address, options):
            if state.mail_reply:
                return state.mail_reply
            envelope.mail_from = address
            return "250 OK"

        async def handle_RCPT(self, srv, session, envelope, address, options):
            reply = state.rcpt_replies.get(address, "250 OK")
            if reply[0] == "2":
                envelope.rcpt_tos.append(address)
            return reply

        async def handle_DATA(self, srv, session, envelope):
            if state.hang_up_at_end:
                srv.transport.close()
                return "250 OK"
            if state.end_reply:
                return state.end_reply
            state.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            state.messages.append(
                message_from_bytes(envelope.original_content, policy=policy.default)
            )
            return "250 OK"

    class Session(SMTP):
        async def smtp_DATA(self, arg):
            if state.data_reply:
                await self.push(state.data_reply)
                return
            await super().smtp_DATA(arg)

    class Controller(base):
        def factory(self):
            return Session(self.handler, **self.SMTP_kwargs)

    port = free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    state.port = port
    yield state
    controller.stop()


def send(server: Server, message: EmailMessage) -> EmailBackend:
    backend = EmailBackend(host="127.0.0.1", port=server.port, timeout=5)
    send_once(backend, message, lambda: True)
    return backend


LINES = "Erste Zeile.\n.Zeile mit Punkt am Anfang\n.\n..zwei Punkte\nLetzte Zeile"


@pytest.mark.parametrize("ending", ["", "\n"])
def test_the_message_arrives_as_written(server, ending):
    """Dot-stuffed (a lone "." would end the DATA), line ends intact, and the end of DATA
    on a line of its own whether or not the text ended with a line break."""
    message = EmailMessage("Betreff: Äußerung", LINES + ending, SENDER, ["anna@example.org"])
    backend = send(server, message)
    # The end-of-data marker is a small write after the commit: no Nagle delay for it.
    assert backend.connection.sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    backend.close()
    ((envelope_from, rcpts),) = server.envelopes
    assert (envelope_from, rcpts) == ("positionen@example.org", ["anna@example.org"])
    (got,) = server.messages
    assert got["Subject"] == "Betreff: Äußerung"
    assert got["From"] == SENDER
    assert got.get_content().replace("\r\n", "\n") == LINES + "\n"


def test_a_forwarding_server_accepts_with_251(server):
    server.rcpt_replies["weiter@example.org"] = "251 User not local; will forward"
    send(server, EmailMessage("Hallo", "Text", SENDER, ["weiter@example.org"])).close()
    assert [rcpts for _frm, rcpts in server.envelopes] == [["weiter@example.org"]]


@pytest.fixture
def one_mail(author):
    """One member to mail; returns a function that delivers and gives back the row."""
    person = UserFactory()
    make_statement(author=author, state="consultation")
    Notification.objects.filter(channel=Channel.EMAIL).exclude(recipient=person).delete()

    def deliver() -> tuple[int, Notification]:
        sent = services.outbox_deliver()
        return sent, Notification.objects.get(channel=Channel.EMAIL, recipient=person)

    return deliver


@pytest.mark.parametrize(
    ("setting", "reply", "words", "status"),
    [
        (
            "mail_reply",
            "550 5.7.1 sender not allowed here",
            ["SMTPSenderRefused", "550", "sender"],
            Status.FAILED,  # permanent: at once, for the coordination to see
        ),
        (
            "data_reply",
            "451 4.3.0 please try again later",
            ["SMTPDataError", "451", "try again"],
            Status.PENDING,  # temporary: retried by itself
        ),
        ("end_reply", "554 5.7.1 looks like spam", ["refused", "554", "spam"], Status.FAILED),
    ],
)
def test_the_servers_reason_is_what_the_coordination_reads(
    setting, reply, words, status, server, one_mail, settings
):
    settings.DEFAULT_FROM_EMAIL = "positionen@example.org"
    setattr(server, setting, reply)
    sent, row = one_mail()
    assert sent == 0 and not server.messages
    assert (row.status, row.sent_at, row.lease_until) == (status, None, None)
    assert all(word in row.last_error for word in words), row.last_error
    if setting == "mail_reply":
        assert "positionen@example.org" in row.last_error


def test_a_database_failure_at_the_mark_leaves_nothing_delivered(server, one_mail, monkeypatch):
    from django.db import OperationalError

    def broken(row, *confirmed):
        raise OperationalError("database is locked")

    monkeypatch.setattr(services, "_mark_sent", broken)
    sent, row = one_mail()
    assert sent == 0 and not server.messages
    assert row.status == Status.PENDING and "database is locked" in row.last_error


def test_a_hang_up_after_the_end_of_data_is_unanswered_and_not_sent_again_at_once(server, one_mail):
    """The server may have the mail: visible as "unanswered", resent only after the grace
    period (tests/notifications/test_delivery_faults.py), not by the next run."""
    server.hang_up_at_end = True
    sent, row = one_mail()
    assert sent == 0
    assert (row.status, row.attempts) == (Status.UNANSWERED, 1)
    assert "no reply after end of data" in row.last_error
    server.hang_up_at_end = False
    assert services.outbox_deliver() == 0 and not server.messages
