"""The inbound path: one function, receive(raw), for every message that arrives (the
SMTP/LMTP listener, the IMAP poller). A reply becomes an answer in its thread, written
as the person the notification went to, through the owning app's service; anything
else is refused, creates nothing, is answered with a bounce in the person's language
(none for auto-generated mail, against loops) and is recorded (InboundMessage, log).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage as OutgoingMail
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import ServiceError
from inbound.models import Decision, InboundMessage
from inbound.targets import TARGETS
from inbound.text import typed_text
from inbound.tokens import TokenExpired, TokenInvalid, read_token, token_in_address

logger = logging.getLogger(__name__)

# A comment is at most this long (discussion.models.Comment.body).
MAX_TEXT = 10000
_ADDRESS_HEADERS = ("Delivered-To", "X-Original-To", "To", "Cc")


@dataclass
class Outcome:
    decision: str
    created: Any = None
    detail: str = ""


def _reasons() -> dict[str, str]:
    # Evaluated in the bounce's language (translation.override around the call).
    return {
        Decision.NO_TOKEN: _(
            "Diese Adresse nimmt nur Antworten auf Benachrichtigungen an. Bitte antworten "
            "Sie direkt auf eine Benachrichtigung oder schreiben Sie auf der Website."
        ),
        Decision.FORGED: _(
            "Die Antwortadresse ist ungültig. Bitte antworten Sie direkt auf die "
            "Benachrichtigung, ohne die Adresse zu ändern, oder schreiben Sie auf der Website."
        ),
        Decision.EXPIRED: _(
            "Die Antwortadresse dieser Benachrichtigung ist abgelaufen. Bitte schreiben Sie "
            "Ihre Antwort auf der Website."
        ),
        Decision.WRONG_SENDER: _(
            "Diese Antwortadresse gilt nur für die Adresse, an die die Benachrichtigung "
            "ging. Bitte antworten Sie von dieser Adresse oder schreiben Sie auf der Website."
        ),
        Decision.NOT_ALLOWED: _(
            "Sie können in dieser Diskussion nicht (mehr) antworten: Das Papier ist "
            "vielleicht nicht mehr in der Kommentierung, für Sie nicht mehr sichtbar oder "
            "der Kommentar wurde entfernt."
        ),
        Decision.ATTACHMENT: _(
            "Anhänge können nicht übernommen werden. Bitte schicken Sie Ihre Antwort ohne "
            "Anhang noch einmal."
        ),
        Decision.EMPTY: _(
            "Ihre Nachricht enthielt keinen eigenen Text (der zitierte Verlauf und die "
            "Signatur werden abgeschnitten)."
        ),
        Decision.REPLAY: _(
            "Diese Nachricht wurde bereits empfangen und wird nicht noch einmal übernommen."
        ),
    }


def _parse(raw: bytes) -> EmailMessage:
    return BytesParser(policy=policy.default).parsebytes(raw)  # type: ignore[return-value]


def _message_key(message: EmailMessage, raw: bytes) -> str:
    message_id = str(message.get("Message-ID", "") or "").strip()
    if message_id:
        return message_id[:255]
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def _find_token(message: EmailMessage, envelope: Iterable[str]) -> str | None:
    addresses = list(envelope)
    for header in _ADDRESS_HEADERS:
        values = [str(v) for v in message.get_all(header, [])]
        addresses += [address for _name, address in getaddresses(values)]
    for address in addresses:
        token = token_in_address(address)
        if token:
            return token
    return None


def _is_automatic(message: EmailMessage, sender: str) -> bool:
    """Mail from a machine (vacation notices, bounces, lists) is never answered."""
    auto = str(message.get("Auto-Submitted", "no") or "no").strip().lower()
    precedence = str(message.get("Precedence", "") or "").strip().lower()
    local = sender.partition("@")[0].lower()
    return (
        auto != "no"
        or precedence in ("bulk", "junk", "list", "auto_reply")
        or not sender
        or local in ("mailer-daemon", "postmaster")
        or message.get_content_type() == "multipart/report"
    )


def _has_attachment(message: EmailMessage) -> bool:
    """A file sent along: a part marked as attachment, or any non-text part that is not
    an inline picture of an HTML body (multipart/related, e.g. a logo in a signature)."""

    def walk(part: EmailMessage, related: bool) -> bool:
        if part.is_multipart():
            inner = related or part.get_content_type() == "multipart/related"
            return any(walk(p, inner) for p in part.iter_parts())  # type: ignore[arg-type]
        if part.get_content_disposition() == "attachment":
            return True
        return part.get_content_maintype() != "text" and not related

    return walk(message, False)


def _bounce(
    message: EmailMessage, *, to: str, person: Any, decision: str, detail: str = ""
) -> None:
    """A short answer saying why nothing was created, in the person's language (both
    languages when the sender has no account here)."""
    languages = [person.language] if person is not None and person.language else ["de", "en"]
    texts = []
    subject = ""
    for language in languages:
        with translation.override(language):
            reason = detail or _reasons().get(decision, "")
            subject = subject or _("Ihre Antwort per E-Mail wurde nicht übernommen")
            texts.append(
                _(
                    "Ihre Nachricht an die RTM-Positionen wurde nicht übernommen.\n\n"
                    "Grund: %(reason)s\n\nEs wurde nichts veröffentlicht. Zur Website: %(url)s"
                )
                % {"reason": reason, "url": settings.SITE_URL}
            )
    original = str(message.get("Subject", "") or "")
    headers = {"Auto-Submitted": "auto-replied", "X-RTM-Inbound": decision}
    if message.get("Message-ID"):
        headers["In-Reply-To"] = str(message["Message-ID"])
        headers["References"] = str(message["Message-ID"])
    mail = OutgoingMail(
        subject=f"{subject}: {original}"[:200] if original else subject,
        body="\n\n----\n\n".join(texts),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers,
    )

    def send() -> None:
        try:
            mail.send()
        except Exception:  # the decision stands; a lost bounce is only logged
            logger.exception("inbound: bounce to %s could not be sent", to)

    transaction.on_commit(send)


def _record(key: str, sender: str, user: Any, target: str, outcome: Outcome) -> None:
    created = ""
    if outcome.created is not None:
        created = f"{outcome.created._meta.label_lower}:{outcome.created.pk}"
    logger.info(
        "inbound: %s from %s target=%s created=%s %s",
        outcome.decision,
        sender,
        target or "-",
        created or "-",
        outcome.detail,
    )
    try:
        with transaction.atomic():
            InboundMessage.objects.create(
                message_key=key,
                sender=sender[:254],
                user=user,
                target=target,
                decision=outcome.decision,
                created=created,
                detail=outcome.detail,
            )
    except IntegrityError:
        pass  # a concurrent delivery of the same message recorded it first


def receive(raw: bytes, *, envelope_recipients: Iterable[str] = ()) -> Outcome:
    """Process one inbound message (raw RFC 5322 bytes); returns what was decided."""
    message = _parse(raw)
    key = _message_key(message, raw)
    sender = parseaddr(str(message.get("From", "") or ""))[1].strip().lower()
    sender_account = User.objects.filter(email__iexact=sender).first() if sender else None
    automatic = _is_automatic(message, sender)

    def refuse(decision: str, *, user: Any = None, target: str = "", detail: str = "") -> Outcome:
        outcome = Outcome(decision, detail=detail)
        if decision != Decision.REPLAY:
            _record(key, sender, user, target, outcome)
        else:
            logger.info("inbound: replay of %s from %s", key, sender)
        # No answer to machines (loops) nor to mail without any reply address (spam
        # would make us a source of backscatter).
        if not automatic and decision != Decision.NO_TOKEN:
            _bounce(
                message,
                to=sender,
                person=user if user is not None else sender_account,
                decision=decision,
                detail=detail,
            )
        return outcome

    if InboundMessage.objects.filter(message_key=key).exists():
        return refuse(Decision.REPLAY)
    raw_token = _find_token(message, envelope_recipients)
    if raw_token is None:
        return refuse(Decision.NO_TOKEN)
    try:
        token = read_token(raw_token)
    except TokenInvalid:
        return refuse(Decision.FORGED)
    except TokenExpired:
        return refuse(Decision.EXPIRED)
    target_kind = TARGETS.get(token.target)
    target_label = f"{target_kind.name if target_kind else token.target}:{token.target_id}"
    user = User.objects.filter(pk=token.user_id, is_active=True).first()
    if user is None or user.email.strip().lower() != sender:
        # Not the person the address was made for: say nothing about them.
        return refuse(Decision.WRONG_SENDER, user=sender_account, target=target_label)
    if target_kind is None:
        return refuse(Decision.NOT_ALLOWED, user=user, target=target_label)
    obj = target_kind.find(token.target_id)
    if obj is None or not target_kind.may_answer(user, obj):
        return refuse(Decision.NOT_ALLOWED, user=user, target=target_label)
    if _has_attachment(message):
        return refuse(Decision.ATTACHMENT, user=user, target=target_label)
    text = typed_text(message)
    if not text:
        return refuse(Decision.EMPTY, user=user, target=target_label)
    if len(text) > MAX_TEXT:
        with translation.override(user.language or settings.LANGUAGE_CODE):
            detail = _("Der Text ist zu lang (höchstens %(max)s Zeichen).") % {"max": MAX_TEXT}
        return refuse(Decision.REFUSED, user=user, target=target_label, detail=detail)
    try:
        with transaction.atomic():
            # The replay guard first: of two deliveries of one message, one creates.
            row = InboundMessage.objects.create(
                message_key=key,
                sender=sender,
                user=user,
                target=target_label,
                decision=Decision.ACCEPTED,
            )
            with translation.override(user.language or settings.LANGUAGE_CODE):
                created = target_kind.answer(user, obj, text)
            row.created = f"{created._meta.label_lower}:{created.pk}"
            row.save(update_fields=["created"])
    except IntegrityError:
        return refuse(Decision.REPLAY)
    except ServiceError as error:
        with translation.override(user.language or settings.LANGUAGE_CODE):
            detail = str(error.message)
        return refuse(Decision.REFUSED, user=user, target=target_label, detail=detail)
    logger.info("inbound: accepted from %s target=%s created=%s", sender, target_label, row.created)
    return Outcome(Decision.ACCEPTED, created=created)
