"""Render a mail once per group of recipients, substitute only what is theirs (issue 20).

A consultation opened for 2,000 members is 2,000 mails that differ in a handful of
places: the address, the Message-ID, the greeting's name, the unsubscribe link and
the signed reply address. Rendering three templates and serialising a MIME message
per recipient cost ~4 ms of CPU each; here each kind × language × shared context is
rendered and serialised once with unguessable placeholders, and every recipient's
mail is that text with their own values put in.

Safe by construction, checked by comparison:
- the group key holds everything in the context except the recipient's own values
  (models by primary key, strings with their "safe" mark, nested lists and dicts);
  a context with anything else (an object we cannot compare) is rendered per row;
- the key holds whether each own value is empty, since templates branch on it
  ("Hallo Jana," / "Guten Tag,");
- the first row of every group is also built the ordinary way, and the group is used
  only if both give the same subject, bodies and bytes (Date aside); a template that
  filters an own value (`|upper`, `|truncatechars`) or a body the encoder reshapes
  (quoted-printable, base64) fails that check and falls back to rendering per row;
- the bytes are DKIM-signed after the values are put in (core/mail.dkim_sign), so each
  recipient's signature covers their own To, Message-ID and reply address.
Mails with attachments (an .ics invitation addressed to its attendee, a PDF) are
always built per row.
"""

from __future__ import annotations

import datetime as dt
import decimal
import logging
import re
import secrets
from typing import Any

from django.core.mail import EmailMultiAlternatives
from django.db import models
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from core.mail import _fold_subject, dkim_sign

logger = logging.getLogger(__name__)

# The recipient's own parts of a notification context (notifications/emails.py build()).
OWN = ("recipient_name", "unsubscribe_url", "reply_to")
# Longer values could push a body line past SMTP's 998 characters, where the encoder
# would switch that one mail to quoted-printable: render those per row.
MAX_OWN_LENGTH = 300
_SCALARS = (str, int, float, bool, type(None), dt.date, dt.datetime, dt.time, decimal.Decimal)


def fingerprint(value: Any) -> Any:
    """A hashable stand-in for a context value that equals another's exactly when the
    templates would render both the same; TypeError for values we cannot judge."""
    if isinstance(value, SafeString):
        return ("safe", str(value))
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, Promise):
        return ("lazy", str(value))
    if isinstance(value, models.Model):
        return ("model", value._meta.label, value.pk)
    if isinstance(value, (list, tuple)):
        return ("seq", tuple(fingerprint(v) for v in value))
    if isinstance(value, dict):
        return ("map", tuple(sorted((str(k), fingerprint(v)) for k, v in value.items())))
    raise TypeError(f"cannot compare a context value of type {type(value).__name__}")


class _Group:
    """One rendering with placeholders, and the serialised bytes made from it."""

    def __init__(self, rendered: tuple[str, str, str], raw: bytes | None) -> None:
        self.rendered = rendered
        self.raw = raw
        self.checked = False
        self.broken = False


class RenderOnce:
    """Per delivery batch (notifications/services.py outbox_deliver): groups of rows that
    share a rendering. Placeholders are random per batch, so no content can contain them."""

    def __init__(self) -> None:
        token = secrets.token_hex(6)
        # Text and HTML get different placeholders: the HTML one is replaced by the
        # escaped value, the text one (and headers) by the value as it is.
        self.text_marks = {name: f"rtm{token}t{i}x" for i, name in enumerate(OWN)}
        self.html_marks = {name: f"rtm{token}h{i}x" for i, name in enumerate(OWN)}
        self.address_mark = f"rtm{token}addr@example.invalid"
        self.id_mark = f"rtm{token}id"
        self.groups: dict[Any, _Group] = {}
        self.stats = {"grouped": 0, "per_row": 0, "groups": 0, "fallbacks": 0}

    # -- public -------------------------------------------------------------------

    def compose(self, row: Any, spec: Any, address: str, context: dict[str, Any]) -> Any:
        from notifications import emails

        own = {name: str(context.get(name) or "") for name in OWN}
        key = self._key(row, spec, context, own)
        if key is None:
            self.stats["per_row"] += 1
            return emails.compose(row, spec, address, context)
        group = self.groups.get(key)
        if group is None:
            group = self.groups[key] = self._render(row, spec, context, own)
            self.stats["groups"] += 1
        if group.broken:
            self.stats["per_row"] += 1
            return emails.compose(row, spec, address, context)
        message = emails.compose(row, spec, address, context, rendered=self._strings(group, own))
        message.prefab = self._bytes(group, own, address, row.pk)
        if not group.checked:
            group.checked = True
            if not self._same(message, emails.compose(row, spec, address, context)):
                group.broken = True
                self.stats["fallbacks"] += 1
                logger.info("notification kind %s: rendered per recipient", row.kind)
                return emails.compose(row, spec, address, context)
        self.stats["grouped"] += 1
        return message

    # -- grouping -----------------------------------------------------------------

    def _key(self, row: Any, spec: Any, context: dict[str, Any], own: dict[str, str]) -> Any:
        if spec.attachments is not None:
            return None
        if any(len(value) > MAX_OWN_LENGTH for value in own.values()):
            return None
        shared = {k: v for k, v in context.items() if k not in OWN}
        try:
            shape = fingerprint(shared)
        except TypeError:
            return None
        return (
            row.kind,
            get_language(),
            spec.templates,
            tuple(bool(v) for v in own.values()),
            shape,
        )

    def _render(self, row: Any, spec: Any, context: dict[str, Any], own: dict[str, str]) -> _Group:
        from notifications import emails

        # Empty own values stay empty (the key says which are), so `{% if %}` branches
        # the same way as for every member of the group.
        text_ctx = {**context, **{n: self.text_marks[n] for n in OWN if own[n]}}
        html_ctx = {**context, **{n: self.html_marks[n] for n in OWN if own[n]}}
        subject, text, _html = emails.render(spec, text_ctx)
        _s, _t, html = emails.render(spec, html_ctx)
        rendered = (subject, text, html)
        template = emails.compose(row, spec, self.address_mark, text_ctx, rendered=rendered)
        headers = template.extra_headers
        headers["Message-ID"] = headers["Message-ID"].replace(str(row.pk), self.id_mark, 1)
        try:
            raw = _unsigned(template).as_bytes(linesep="\r\n")
        except Exception:
            logger.debug("could not serialise a shared mail", exc_info=True)
            raw = None
        return _Group(rendered, raw)

    # -- per recipient --------------------------------------------------------------

    def _strings(self, group: _Group, own: dict[str, str]) -> tuple[str, str, str]:
        subject, text, html = group.rendered
        for name in OWN:
            if own[name]:
                subject = subject.replace(self.text_marks[name], own[name])
                text = text.replace(self.text_marks[name], own[name])
                html = html.replace(self.html_marks[name], escape(own[name]))
        return subject, text, html

    def _bytes(self, group: _Group, own: dict[str, str], address: str, pk: int) -> bytes | None:
        raw = group.raw
        if raw is None or not address.isascii():
            return None
        if b"Content-Transfer-Encoding: 7bit" in raw and not all(v.isascii() for v in own.values()):
            return None  # an 8-bit value in a part labelled 7-bit: let the encoder decide
        raw = raw.replace(self.address_mark.encode(), address.encode())
        raw = raw.replace(self.id_mark.encode(), str(pk).encode())
        for name in OWN:
            if own[name]:
                raw = raw.replace(self.text_marks[name].encode(), own[name].encode())
                raw = raw.replace(self.html_marks[name].encode(), escape(own[name]).encode())
        return dkim_sign(raw)

    @staticmethod
    def _same(grouped: Any, direct: Any) -> bool:
        if (grouped.subject, grouped.body, grouped.alternatives, grouped.to) != (
            direct.subject,
            direct.body,
            direct.alternatives,
            direct.to,
        ):
            return False
        if grouped.prefab is None:
            return True
        return _without_volatile(grouped.prefab) == _without_volatile(
            direct.message().as_bytes(linesep="\r\n")
        )


def _unsigned(message: Any) -> Any:
    """The MIME form of a SignedEmail without its DKIM wrapper (signed per recipient)."""
    return _fold_subject(EmailMultiAlternatives.message(message), message.subject)


def _without_volatile(raw: bytes) -> bytes:
    """The bytes as a reader sees them, without what differs between two builds of the
    same mail: headers unfolded (the shared mail folds a long value at another place,
    which readers and DKIM's relaxed canonicalisation undo), no Date or DKIM-Signature,
    MIME boundaries neutralised."""
    head, _, body = raw.partition(b"\r\n\r\n")
    unfolded = re.sub(rb"\r\n[ \t]+", b" ", head)
    lines = [
        re.sub(rb"[ \t]+", b" ", line)
        for line in unfolded.split(b"\r\n")
        if not line.lower().startswith((b"date:", b"dkim-signature:"))
    ]
    head = b"\r\n".join(lines)
    for boundary in re.findall(rb'boundary="([^"]+)"', head + b"\r\n" + body):
        head, body = head.replace(boundary, b"B"), body.replace(boundary, b"B")
    return head + b"\r\n\r\n" + body
