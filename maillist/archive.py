"""Reading an old list archive (mbox) into posts, with the standard library only.

Each message is parsed with email.policy.default, which decodes quoted-printable and
base64 bodies, declared charsets (ISO-8859-1, UTF-8, …) and RFC 2047 encoded headers.
A message is identified by its Message-ID (or, lacking one, a digest of its bytes),
so importing the same archive again adds nothing.
"""

from __future__ import annotations

import email
import hashlib
import mailbox
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.utils import parsedate_to_datetime

MAX_BODY = 100_000
_ID = re.compile(r"<[^<>\s]+>")


@dataclass(frozen=True)
class ArchivedMessage:
    message_id: str
    subject: str
    sender_name: str
    date: datetime | None
    body: str
    in_reply_to: str
    references: list[str]


def _header(message: EmailMessage, name: str) -> str:
    try:
        value = message.get(name)
    except (ValueError, IndexError, TypeError):  # a malformed header: keep its raw text
        value = message.get_all(name, [""])[0] if message.get_all(name) else ""
    return " ".join(str(value or "").split())


def _ids(text: str) -> list[str]:
    return _ID.findall(text or "")


def _sender_name(message: EmailMessage) -> str:
    try:
        addresses = message["from"].addresses if message["from"] is not None else ()
    except (AttributeError, ValueError, IndexError, TypeError):
        addresses = ()
    if addresses:
        return addresses[0].display_name or addresses[0].username or ""
    return _header(message, "from")


def _date(message: EmailMessage) -> datetime | None:
    raw = _header(message, "date")
    if not raw:
        return None
    try:
        value = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        text = part.get_content()
    except (LookupError, UnicodeError, AssertionError):
        payload = part.get_payload(decode=True) or b""
        text = payload.decode("latin-1")
    if part.get_content_type() == "text/html":
        text = re.sub(r"<[^>]+>", " ", text)
    return text.replace("\r\n", "\n")[:MAX_BODY]


def parse(raw: bytes) -> ArchivedMessage:
    message = email.message_from_bytes(raw, policy=policy.default)
    ids = _ids(_header(message, "message-id"))
    message_id = ids[0] if ids else f"<{hashlib.sha256(raw).hexdigest()}@import.invalid>"
    return ArchivedMessage(
        message_id=message_id[:255],
        subject=_header(message, "subject")[:200],
        sender_name=_sender_name(message)[:200],
        date=_date(message),
        body=_body(message),
        in_reply_to=(_ids(_header(message, "in-reply-to")) or [""])[0][:255],
        references=_ids(_header(message, "references")),
    )


def read_mbox(path: str) -> Iterator[ArchivedMessage]:
    box = mailbox.mbox(path, create=False)
    try:
        for key in box.iterkeys():
            yield parse(box.get_bytes(key))
    finally:
        box.close()
