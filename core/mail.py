"""Outgoing mail signed with DKIM when a key is configured (dkimpy).

Both ways mail leaves (Django's SMTP backend and notifications.smtp) serialise a
message with `message().as_bytes(linesep="\\r\\n")`; SignedEmail.message() returns the
MIME message wrapped so that exactly those bytes are signed and the DKIM-Signature
header is put in front of them. Without RTM_DKIM_DOMAIN, _SELECTOR and _PRIVATE_KEY_FILE
the message is returned as Django builds it.

Both also fold the subject after its name (`with_folded_subject`): Django encodes a
non-ASCII subject with email.header.Header but without the header's name, so the first
encoded word fills a whole line and the generator folds it onto the next ("Subject: \\n
=?utf-8?…"); readers unfold that to a subject starting with a space (issue 16).
"""

from __future__ import annotations

from email.header import Header
from email.message import Message
from functools import lru_cache
from pathlib import Path
from typing import Any

import dkim
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives

SIGNED_HEADERS = [
    b"From",
    b"To",
    b"Subject",
    b"Date",
    b"Message-ID",
    b"MIME-Version",
    b"Content-Type",
    b"List-Id",
    b"List-Unsubscribe",
    b"List-Unsubscribe-Post",
]


@lru_cache(maxsize=4)
def _read_key(path: str) -> bytes:
    return Path(path).read_bytes()


def dkim_config() -> tuple[bytes, bytes, bytes] | None:
    """(selector, domain, private key) or None when signing is not configured."""
    domain = getattr(settings, "RTM_DKIM_DOMAIN", "")
    selector = getattr(settings, "RTM_DKIM_SELECTOR", "")
    key_file = getattr(settings, "RTM_DKIM_PRIVATE_KEY_FILE", "")
    if not (domain and selector and key_file):
        return None
    return selector.encode(), domain.encode(), _read_key(key_file)


def dkim_sign(raw: bytes) -> bytes:
    """`raw` (CRLF line ends) with a DKIM-Signature header in front, if configured."""
    config = dkim_config()
    if config is None:
        return raw
    selector, domain, key = config
    present = {
        line.split(b":", 1)[0].strip().lower()
        for line in raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
    }
    headers = [h for h in SIGNED_HEADERS if h.lower() in present]
    signature = dkim.sign(raw, selector, domain, key, include_headers=headers)
    return signature + raw


class _Signed:
    """A MIME message whose bytes carry a DKIM signature; everything else delegated."""

    def __init__(self, message: Any) -> None:
        self._message = message

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n", **kwargs: Any) -> bytes:
        raw = self._message.as_bytes(unixfrom, linesep="\r\n", **kwargs)
        signed = dkim_sign(raw)
        return signed if linesep == "\r\n" else signed.replace(b"\r\n", linesep.encode())

    def as_string(self, *args: Any, **kwargs: Any) -> str:
        return self.as_bytes(linesep="\n").decode("ascii", "replace")

    def __getitem__(self, name: str) -> Any:
        return self._message[name]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._message, name)


def _fold_subject(mime: Any, subject: str) -> Any:
    """Put a non-ASCII subject back as a Header that knows its name, so it folds after it."""
    subject = " ".join(str(subject).split())
    try:
        subject.encode("ascii")
    except UnicodeEncodeError:
        del mime["Subject"]
        # Message.__setitem__: Django's own would turn the Header back into a string.
        Message.__setitem__(mime, "Subject", Header(subject, "utf-8", header_name="Subject"))
    return mime


def with_folded_subject(message: EmailMessage) -> EmailMessage:
    """`message`, whose MIME form carries its subject folded after "Subject: "."""
    build = message.message

    def folded(*args: Any, **kwargs: Any) -> Any:
        return _fold_subject(build(*args, **kwargs), message.subject)

    message.message = folded  # type: ignore[method-assign]
    return message


class SignedEmail(EmailMultiAlternatives):
    """EmailMultiAlternatives whose serialised bytes are DKIM-signed when configured, with
    the subject folded after its name."""

    def message(self, *args: Any, **kwargs: Any) -> Any:
        message = _fold_subject(super().message(*args, **kwargs), self.subject)
        return message if dkim_config() is None else _Signed(message)
