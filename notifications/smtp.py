"""Hand one message to the mail server with a single point of no return.

Exactly-once across a database and an SMTP server is impossible in general: the
server may accept a message and the sender crash before it records that. We
move the record to the last possible moment *before* the server can accept:
MAIL FROM, RCPT TO and the whole DATA body are sent first, then `mark_sent()`
commits "sent" in the database, then the three bytes that end the DATA command
(". CRLF") go out; on PostgreSQL the commit is pipelined, so they follow the
commit's bytes on the wire without waiting for its answer. An SMTP server
discards a message whose DATA never ended, so a crash

- before the commit leaves the row "sending": the server has no message, and
  the sweep resends it after the lease expires (no loss, no duplicate);
- after the server's 250 reply: the row is already "sent" (no duplicate);
- between the database receiving the commit and the end-of-data marker being
  written (with pipelining: two back-to-back system calls, no I/O wait): the row
  says "sent" but the server has nothing. That is the one window where a message
  can be lost; we prefer it to the much wider window (the server's reply round
  trip) in which the usual order "send, then mark" duplicates messages. So this is
  at-most-once in that window and exactly-once everywhere else; a retry or a
  duplicated task never sends a row twice.

Backends that are not SMTP (locmem in tests, file-based locally) are called
after `mark_sent()`; they fail before anything is delivered, so the caller can
safely revert the row.
"""

from __future__ import annotations

import smtplib
import socket
from collections.abc import Callable

from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.mail.message import EmailMessage, sanitize_address


class LeaseLost(Exception):
    """Another worker took over the row; this one must not send it."""


class RefusedAfterCommit(Exception):
    """The server answered the end of DATA with an error: nothing was delivered."""


class UnconfirmedAfterCommit(Exception):
    """The connection broke after the end of DATA: the server probably has it."""


def send_once(
    connection: object,
    message: EmailMessage,
    mark_sent: Callable[[Callable[[], None] | None], bool],
) -> None:
    """`mark_sent(finish)` commits "sent" and then calls finish(); False: not ours."""
    if not isinstance(connection, SmtpBackend):
        if not mark_sent(None):
            raise LeaseLost
        try:
            connection.send_messages([message])  # type: ignore[attr-defined]
        except Exception as exc:  # noqa: BLE001 - nothing was delivered; caller reverts
            raise RefusedAfterCommit(str(exc)) from exc
        return

    if connection.connection is None:
        connection.open()
    smtp: smtplib.SMTP = connection.connection  # type: ignore[assignment]
    if smtp.sock is not None:
        # The end-of-data marker is a separate small write after the commit: without
        # TCP_NODELAY, Nagle's algorithm holds it until the server's delayed ACK (~40 ms).
        smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    encoding = message.encoding or "utf-8"
    from_email = sanitize_address(message.from_email, encoding)
    recipients = [sanitize_address(addr, encoding) for addr in message.recipients()]
    data = message.message().as_bytes(linesep="\r\n")

    smtp.ehlo_or_helo_if_needed()
    code, resp = smtp.mail(from_email)
    if code != 250:
        smtp.rset()
        raise smtplib.SMTPSenderRefused(code, resp, from_email)
    for rcpt in recipients:
        code, resp = smtp.rcpt(rcpt)
        if code not in (250, 251):
            smtp.rset()
            raise smtplib.SMTPRecipientsRefused({rcpt: (code, resp)})
    code, resp = smtp.docmd("data")
    if code != 354:
        smtp.rset()
        raise smtplib.SMTPDataError(code, resp)
    body = smtplib._quote_periods(data)  # noqa: SLF001 - the same escaping sendmail() uses
    if not body.endswith(b"\r\n"):
        body += b"\r\n"
    smtp.send(body)
    ended: list[bool] = []

    def end_data() -> None:
        ended.append(False)
        smtp.send(b".\r\n")
        ended[0] = True

    try:
        committed = mark_sent(end_data)
    except Exception as exc:
        if not ended:
            # The database failed before the end of DATA: abort, the server discards it.
            _abandon(connection, smtp)
            raise
        _abandon(connection, smtp)
        raise UnconfirmedAfterCommit(str(exc)) from exc
    if not committed:
        _abandon(connection, smtp)
        raise LeaseLost
    # --- point of no return: the row is committed as sent, the end of DATA written ---
    try:
        if not ended[0]:
            raise OSError("end of DATA not written")
        code, resp = smtp.getreply()
    except (smtplib.SMTPException, OSError) as exc:
        _abandon(connection, smtp)
        raise UnconfirmedAfterCommit(str(exc)) from exc
    if code != 250:
        raise RefusedAfterCommit(f"{code} {resp!r}")


def _abandon(connection: SmtpBackend, smtp: smtplib.SMTP) -> None:
    """Drop the connection; a DATA without its end is discarded by the server."""
    try:
        smtp.close()
    finally:
        connection.connection = None
