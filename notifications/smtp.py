"""Hand one message to the mail server with a single point of no return.

Exactly-once across a database and an SMTP server is impossible in general: the
server may accept a message and the sender crash before it records that. We
move the record to the last possible moment *before* the server can accept:
MAIL FROM, RCPT TO and the whole DATA body are sent first, then `mark_sent()`
commits "sent" in the database (one autocommitted UPDATE guarded by our lease),
and only when it reports our row were the three bytes that end the DATA
command (". CRLF") written. An SMTP server discards a message whose DATA never
ended, so

- if the lease was taken over (the UPDATE matches no row), the connection is
  dropped without the end of DATA: the server has nothing from us and the row
  stays with the worker that holds it now;
- a crash before the commit leaves the row "sending": the server has no message,
  and the sweep resends it after the lease expires (no loss, no duplicate);
- a crash after "sent" was committed, before the server's reply was recorded: the
  row is still "sent" under the dead run's lease (the reply is recorded by the next
  mail's mark, in the same statement, or at the batch's end). Once the lease expires the
  sweep makes it "unanswered" and it is sent again with the same Message-ID after the
  grace period: if the crash came before the end of DATA reached the server, that is
  the message's only copy; if after, a duplicate the receiver can fold. At most the
  mail in flight and the one before it per connection.
- no reply after the end of DATA (silence until the timeout, or a dropped connection):
  the server may have the message. The caller marks the row "unanswered" and sends it
  again after a grace period with the same Message-ID: a possible duplicate the receiver
  can fold, never a silent loss (docs/architecture.md, "Mail").

So a message is never silently lost, and sent twice only when the outcome is unknown
(a crashed worker or a missing reply), always with the same Message-ID; a retry or a
duplicated task never sends a row twice. (Until the fault drill caught a kill inside
it, the commit → end-of-DATA window was left as a possible loss: at-most-once for a
crashed worker. Mail between servers takes a duplicate over a loss, RFC 1047; so do we.) The mark
commits with synchronous_commit off (services._asynchronous_commits): a crash of
PostgreSQL itself within ~0.6 s of a mark may undo it, and the row is sent again.

Only public APIs: one UPDATE through Django's cursor. (Until issue 14
the commit was pipelined through psycopg's private generator functions to shave
the round trip; the guard could not then stop the end of DATA.)

Backends that are not SMTP (locmem in tests, file-based locally) are called
after `mark_sent()`; they fail before anything is delivered, so the caller can
safely revert the row.
"""

from __future__ import annotations

import re
import smtplib
import socket
from collections.abc import Callable
from functools import lru_cache

from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.mail.message import EmailMessage, sanitize_address


class LeaseLost(Exception):
    """Another worker took over the row; this one must not send it."""


class RefusedAfterCommit(Exception):
    """The server answered the end of DATA with an error: nothing was delivered."""

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.smtp_code = code


class UnconfirmedAfterCommit(Exception):
    """No final reply after the end of DATA (silence or a broken connection): the
    server may or may not have the message. The caller marks the row "unanswered"."""


END_OF_DATA = b".\r\n"


# A bare ASCII addr-spec, as almost every member's address is: used as it stands.
_PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+\Z")


def _envelope(address: str, encoding: str) -> str:
    """The "<addr-spec>" for MAIL FROM / RCPT TO. Django's sanitize_address and
    smtplib's quoteaddr parse every address with the email package: for 2,000 distinct
    recipients that cost more CPU than the SMTP conversation (issue 20)."""
    if _PLAIN_ADDRESS.match(address):
        return f"<{address}>"
    return _quoted(address, encoding)


@lru_cache(maxsize=256)
def _quoted(address: str, encoding: str) -> str:
    """Any other address (a display name, non-ASCII), as smtplib would send it."""
    return smtplib.quoteaddr(sanitize_address(address, encoding))


_LINE_STARTING_WITH_DOT = re.compile(rb"(?m)^\.")


def send_once(
    connection: object,
    message: EmailMessage,
    mark_sent: Callable[[], bool],
    *,
    final_reply_timeout: float | None = None,
) -> None:
    """Send `message`; `mark_sent()` commits "sent" if the row is still ours (else False).

    The reply to the end of DATA is awaited up to `final_reply_timeout` seconds (RFC 5321
    §4.5.3.2.6 allows the server 10 minutes); every other reply, the backend's timeout.
    """
    if not isinstance(connection, SmtpBackend):
        if not mark_sent():
            raise LeaseLost
        try:
            connection.send_messages([message])  # type: ignore[attr-defined]
        except Exception as exc:  # nothing was delivered; caller reverts
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
    from_email = _envelope(message.from_email, encoding)
    recipients = [_envelope(addr, encoding) for addr in message.recipients()]
    # A mail rendered once for many recipients carries its finished, signed bytes
    # (notifications/fanout.py); any other is serialised here.
    data = getattr(message, "prefab", None) or message.message().as_bytes(linesep="\r\n")

    smtp.ehlo_or_helo_if_needed()
    # smtp.mail()/rcpt() without options, minus their parsing of the address again.
    code, resp = smtp.docmd("mail", f"FROM:{from_email}")
    if code != 250:
        smtp.rset()
        raise smtplib.SMTPSenderRefused(code, resp, from_email.strip("<>"))
    for rcpt in recipients:
        code, resp = smtp.docmd("rcpt", f"TO:{rcpt}")
        if code not in (250, 251):
            smtp.rset()
            raise smtplib.SMTPRecipientsRefused({rcpt.strip("<>"): (code, resp)})
    code, resp = smtp.docmd("data")
    if code != 354:
        smtp.rset()
        raise smtplib.SMTPDataError(code, resp)
    body = _LINE_STARTING_WITH_DOT.sub(b"..", data)  # RFC 5321 4.5.2, as sendmail() does
    if not body.endswith(b"\r\n"):
        body += b"\r\n"
    smtp.send(body)
    try:
        committed = mark_sent()
    except Exception:
        # The database failed before "sent" was committed: abort; the server discards it.
        _abandon(connection, smtp)
        raise
    if not committed:
        # Another worker holds the row now: never finish this copy. Without its end the
        # DATA is discarded (RSET is impossible inside DATA: it would be message text).
        _abandon(connection, smtp)
        raise LeaseLost
    # --- point of no return: the row is committed as sent; now end the DATA ---
    try:
        smtp.send(END_OF_DATA)
        if final_reply_timeout is not None and smtp.sock is not None:
            smtp.sock.settimeout(final_reply_timeout)
        code, resp = smtp.getreply()
        if smtp.sock is not None:
            smtp.sock.settimeout(connection.timeout)
    except Exception as exc:  # silence, a broken connection, the task's soft time limit
        _abandon(connection, smtp)
        raise UnconfirmedAfterCommit(f"{type(exc).__name__}: {exc}") from exc
    if code != 250:
        raise RefusedAfterCommit(f"{code} {resp!r}", code)


def _abandon(connection: SmtpBackend, smtp: smtplib.SMTP) -> None:
    """Drop the connection; a DATA without its end is discarded by the server."""
    try:
        smtp.close()
    finally:
        connection.connection = None
