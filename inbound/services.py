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
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import ServiceError
from core.events import EventKind, emit
from inbound.models import Decision, InboundMessage
from inbound.targets import TARGETS, Attachment, Received
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
        Decision.NOT_MEMBER: _(
            "Antworten per E-Mail auf Beiträge des Verteilers nehmen wir nur von Mitgliedern "
            "des Runden Tisches an. Ihre Nachricht wurde nicht veröffentlicht und nicht "
            "weitergeleitet. Wenn Sie uns schreiben möchten: %(contact)s"
        )
        % {"contact": settings.RTM_CONTACT_EMAIL},
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


# Parts a mail program adds that are not files the person sent: S/MIME and OpenPGP
# signatures (administrations sign their mail), Outlook's formatting container.
NOT_FILES = frozenset(
    {
        "application/pkcs7-signature",
        "application/x-pkcs7-signature",
        "application/pgp-signature",
        "application/ms-tnef",
    }
)


def _has_attachment(message: EmailMessage) -> bool:
    """A file sent along: a part marked as attachment, or any non-text part that is not
    an inline picture of an HTML body (multipart/related, e.g. a logo in a signature)."""

    def walk(part: EmailMessage, related: bool) -> bool:
        if part.is_multipart():
            inner = related or part.get_content_type() == "multipart/related"
            return any(walk(p, inner) for p in part.iter_parts())  # type: ignore[arg-type]
        if part.get_content_type() in NOT_FILES:
            return False
        if part.get_content_disposition() == "attachment":
            return True
        return part.get_content_maintype() != "text" and not related

    return walk(message, False)


def bounce_text(decision: str, detail: str = "") -> str:
    """The bounce's text in the active language (the outbox renders it at send time,
    notifications.builders.inbound_refused): why nothing was created, and nothing about
    the paper or the person the address belonged to."""
    reason = detail or _reasons().get(decision, "")
    return _(
        "Ihre Nachricht an die RTM-Positionen wurde nicht übernommen.\n\n"
        "Grund: %(reason)s\n\nEs wurde nichts veröffentlicht. Zur Website: %(url)s"
    ) % {"reason": reason, "url": settings.SITE_URL}


def _bounce(row: InboundMessage, *, decision: str | None = None) -> None:
    """Answer the sender through the outbox like every other mail (retries, the
    coordination's list of failed mail, DKIM): an event about the recorded message.
    One bounce per recorded message: a replay of a refused message is not answered again."""
    extra = {"decision": decision} if decision else {}
    emit(EventKind.INBOUND_REFUSED, target=row, extra=extra)


def _record(
    key: str,
    sender: str,
    user: Any,
    target: str,
    outcome: Outcome,
    *,
    subject: str = "",
    bounce: bool = False,
) -> None:
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
            row = InboundMessage.objects.create(
                message_key=key,
                sender=sender[:254],
                user=user,
                target=target,
                decision=outcome.decision,
                created=created,
                detail=outcome.detail,
                subject=subject[:200],
            )
            if bounce:
                _bounce(row)
    except IntegrityError:
        pass  # a concurrent delivery of the same message recorded it first


def _attachments(message: EmailMessage) -> list[Attachment]:
    """The files sent along (the parts _has_attachment counts), decoded."""
    found = []

    def walk(part: EmailMessage, related: bool) -> None:
        if part.is_multipart():
            inner = related or part.get_content_type() == "multipart/related"
            for sub in part.iter_parts():
                walk(sub, inner)  # type: ignore[arg-type]
            return
        if part.get_content_type() in NOT_FILES:
            return
        if part.get_content_disposition() == "attachment" or (
            part.get_content_maintype() != "text" and not related
        ):
            found.append(
                Attachment(
                    filename=str(part.get_filename() or "anhang"),
                    content_type=part.get_content_type(),
                    content=part.get_payload(decode=True) or b"",
                )
            )

    walk(message, False)
    return found


def _person(target_kind: Any, person_id: int) -> Any:
    if target_kind is not None and target_kind.person is not None:
        return target_kind.person(person_id)
    return User.objects.filter(pk=person_id, is_active=True).first()


def receive(raw: bytes, *, envelope_recipients: Iterable[str] = ()) -> Outcome:
    """Process one inbound message (raw RFC 5322 bytes); returns what was decided."""
    message = _parse(raw)
    key = _message_key(message, raw)
    from_name, from_address = parseaddr(str(message.get("From", "") or ""))
    sender = from_address.strip().lower()
    subject = " ".join(str(message.get("Subject", "") or "").split())
    sender_account = User.objects.filter(email__iexact=sender).first() if sender else None
    automatic = _is_automatic(message, sender)

    def refuse(decision: str, *, user: Any = None, target: str = "", detail: str = "") -> Outcome:
        outcome = Outcome(decision, detail=detail)
        # No answer to machines (loops) nor to mail without any reply address (spam
        # would make us a source of backscatter).
        bounce = not automatic and decision != Decision.NO_TOKEN
        if not isinstance(user, User):
            user = sender_account  # the bounce's language
        if decision != Decision.REPLAY:
            _record(key, sender, user, target, outcome, subject=subject, bounce=bounce)
            return outcome
        logger.info("inbound: replay of %s from %s", key, sender)
        original = InboundMessage.objects.filter(message_key=key).first()
        if bounce and original is not None:
            with transaction.atomic():
                _bounce(original, decision=Decision.REPLAY)
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
    if token.user_id == 0:
        # A reader without an account (an outside subscriber of the list).
        return refuse(Decision.NOT_MEMBER, target=target_label)
    person = _person(target_kind, token.user_id)
    strict = target_kind is None or target_kind.strict_sender
    user = person if isinstance(person, User) else None
    if person is None or (strict and person.email.strip().lower() != sender):
        # Not the person the address was made for: say nothing about them.
        return refuse(Decision.WRONG_SENDER, user=sender_account, target=target_label)
    if target_kind is None:
        return refuse(Decision.NOT_ALLOWED, user=user, target=target_label)
    obj = target_kind.find(token.target_id)
    if obj is None or not target_kind.may_answer(person, obj):
        return refuse(Decision.NOT_ALLOWED, user=user, target=target_label)
    keeps = target_kind.keeps_attachments
    if not keeps and _has_attachment(message):
        return refuse(Decision.ATTACHMENT, user=user, target=target_label)
    files = _attachments(message) if keeps else []
    text = typed_text(message)
    if not text and not files:
        return refuse(Decision.EMPTY, user=user, target=target_label)
    language = getattr(person, "language", "") or settings.LANGUAGE_CODE
    if len(text) > MAX_TEXT:
        with translation.override(language):
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
                subject=subject[:200],
            )
            with translation.override(language):
                if keeps:
                    received = Received(
                        sender=sender, sender_name=from_name, subject=subject, attachments=files
                    )
                    created = target_kind.answer(person, obj, text, mail=received)
                else:
                    created = target_kind.answer(person, obj, text)
            row.created = f"{created._meta.label_lower}:{created.pk}"
            row.save(update_fields=["created"])
    except IntegrityError:
        return refuse(Decision.REPLAY)
    except ServiceError as error:
        with translation.override(language):
            detail = str(error.message)
        return refuse(Decision.REFUSED, user=user, target=target_label, detail=detail)
    logger.info("inbound: accepted from %s target=%s created=%s", sender, target_label, row.created)
    return Outcome(Decision.ACCEPTED, created=created)
