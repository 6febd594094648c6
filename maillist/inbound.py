"""Posting to the list by e-mail (issue 18, item 5).

Each member has a personal posting address, `verteiler+<id>.<mac>@<domain>`; the MAC
(salted HMAC of the id, SECRET_KEY) is the authorisation, and the mail's From must be
the member's own address as well. A message becomes a post exactly as one from the
editor (held or sent by its type's setting); the type is the subject's tag
("[Termin] …"), else Information. The Message-ID is stored, so a replay creates
nothing. Refusals are ServiceErrors whose message the SMTP listener returns (550).
"""

from __future__ import annotations

import email
import re
from email import policy
from email.utils import parseaddr
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.permissions import is_member
from core.errors import ServiceError
from maillist.archive import MAX_BODY
from maillist.models import Post, PostType

SALT = "maillist.post-by-mail"
LOCAL = "verteiler"
_ADDRESS = re.compile(rf"^{LOCAL}\+(\d+)\.([0-9a-f]{{20}})@(.+)$", re.IGNORECASE)
_TAG = re.compile(r"^\s*\[([^\]]+)\]\s*")


class InboundRefused(ServiceError):
    status = 550


def _domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def _mac(user_id: int) -> str:
    return salted_hmac(SALT, str(user_id)).hexdigest()[:20]


def posting_address(user: Any) -> str:
    return f"{LOCAL}+{user.pk}.{_mac(user.pk)}@{_domain()}"


def member_for_address(address: str) -> User:
    match = _ADDRESS.match(address.strip())
    if match is None or match.group(3).lower() != _domain().lower():
        raise InboundRefused(_("Unbekannte Adresse."))
    user_id, mac = int(match.group(1)), match.group(2).lower()
    if not constant_time_compare(mac, _mac(user_id)):
        raise InboundRefused(_("Ungültige Adresse (Signatur stimmt nicht)."))
    user = User.objects.filter(pk=user_id).first()
    if user is None or not is_member(user):
        raise InboundRefused(_("Diese Adresse gehört keinem Mitglied."))
    return user


def _type_and_title(subject: str) -> tuple[str, str]:
    match = _TAG.match(subject)
    if match:
        tag = match.group(1).strip().lower()
        for value, label in PostType.choices:
            if tag in (value, str(label).lower()):
                return value, subject[match.end() :].strip()
    return PostType.INFORMATION, subject.strip()


def post_from_mail(*, raw: bytes, recipient: str) -> Post:
    """Check and turn one received message into a post; raise InboundRefused otherwise."""
    from maillist.services import post_create  # the service module imports this one

    user = member_for_address(recipient)
    message = email.message_from_bytes(raw, policy=policy.default)
    sender = parseaddr(str(message.get("from", "")))[1].lower()
    if sender != user.email.lower():
        raise InboundRefused(_("Der Absender passt nicht zur persönlichen Adresse."))
    message_id = str(message.get("message-id", "")).strip()[:255]
    if not message_id or Post.objects.filter(message_id=message_id).exists():
        raise InboundRefused(_("Diese Nachricht ist schon angekommen."))
    if any(True for _ in message.iter_attachments()):
        raise InboundRefused(_("Anhänge werden nicht angenommen; bitte als Link senden."))
    body_part = message.get_body(preferencelist=("plain",))
    body = body_part.get_content() if body_part is not None else ""
    post_type, title = _type_and_title(" ".join(str(message.get("subject", "")).split()))
    if not title:
        raise InboundRefused(_("Bitte geben Sie einen Betreff an."))
    post = post_create(
        author=user,
        post_type=post_type,
        title=title[:200],
        body=body.replace("\r\n", "\n")[:MAX_BODY],
        is_public=False,
    )
    Post.objects.filter(pk=post.pk).update(message_id=message_id)
    return post


# --- Bounces -------------------------------------------------------------------------

BOUNCE_LOCAL = "bounces"


def bounce_address() -> str:
    return f"{BOUNCE_LOCAL}@{_domain()}"


def hard_bounces(raw: bytes) -> list[str]:
    """The addresses a delivery status notification (RFC 3464) reports as permanently
    failed (Action: failed, Status 5.x.x); [] for anything else."""
    message = email.message_from_bytes(raw, policy=policy.default)
    if message.get_content_type() != "multipart/report":
        return []
    failed = []
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        for block in part.get_payload():
            action = str(block.get("action", "")).strip().lower()
            status = str(block.get("status", "")).strip()
            recipient = str(block.get("final-recipient", "")).split(";", 1)[-1].strip()
            if action == "failed" and status.startswith("5.") and "@" in recipient:
                failed.append(recipient.lower())
    return failed


def bounces_record(*, raw: bytes) -> int:
    from maillist.services import subscriber_bounce_record

    addresses = hard_bounces(raw)
    for address in addresses:
        subscriber_bounce_record(email=address)
    return len(addresses)
