"""Render one outbox row as a mail: the kind's builder (notifications/kinds.py) gives
the context, its three templates give subject, text and HTML in the reader's language,
with signed RFC 8058 unsubscribe headers for kinds one may switch off.
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from core.mail import SignedEmail
from maillist.mail import list_headers
from maillist.tokens import unsubscribe_url as list_unsubscribe_url
from notifications.builders import Loaded, reader_may_see
from notifications.fanout import RenderOnce
from notifications.kinds import KindSpec, spec_for
from notifications.models import Kind, Notification
from notifications.tokens import absolute, path_of, unsubscribe_url

logger = logging.getLogger(__name__)


def _addressee(row: Notification) -> tuple[str, str, str] | None:
    """(address, language, name) of the row's recipient, or None: nobody to write to."""
    if row.recipient is not None:
        if not row.recipient.is_active:
            return None
        return row.recipient.email, row.recipient.language, str(row.recipient)
    if row.subscriber is not None:
        if row.kind != Kind.SUBSCRIPTION_CONFIRM and not row.subscriber.is_active:
            return None
        return row.subscriber.email, row.subscriber.language, ""
    if row.list_subscriber is not None:
        subscriber = row.list_subscriber
        if row.kind != Kind.LIST_SUBSCRIPTION_REQUESTED and not subscriber.is_active:
            return None
        return subscriber.email, subscriber.language, ""
    if row.addressee is not None:
        # The address book's entry, read at send time (issue 19); in German.
        if not row.addressee.is_active:
            return None
        return row.addressee.email, settings.LANGUAGE_CODE, row.addressee.name
    if row.inbound_message is not None:
        # A bounce: the sender of the refused reply; the builder picks the language(s).
        user = row.inbound_message.user
        return row.inbound_message.sender, getattr(user, "language", "") or "", ""
    if row.invitation is not None:
        # No account, so no language yet: the templates carry both.
        return row.invitation.email, settings.LANGUAGE_CODE, ""
    return None


def build(
    row: Notification, loaded: Loaded, renders: RenderOnce | None = None
) -> EmailMultiAlternatives | None:
    """The message for one outbox row, or None when there is nothing to send.

    With `renders` (one per delivery batch), rows that share everything but the
    recipient's own parts are rendered once (notifications/fanout.py)."""
    addressee = _addressee(row)
    if addressee is None:
        return None
    address, language, name = addressee
    if not reader_may_see(row.recipient, row.statement):
        return None  # decided again now: the paper may have gone back to draft since
    spec = spec_for(row.kind)
    with translation.override(language or settings.LANGUAGE_CODE):
        context = spec.build(row, loaded)
        if context is None:
            return None
        unsubscribe = None
        if not spec.locked:
            if row.subscriber is not None:
                unsubscribe = unsubscribe_url(subscriber_token=row.subscriber.token)
            elif row.list_subscriber is not None:
                unsubscribe = list_unsubscribe_url(row.list_subscriber.token)
            else:
                unsubscribe = unsubscribe_url(user_id=row.recipient_id, kind=row.kind)
        if "url" not in context:
            context["url"] = absolute(loaded.link(row))
        context.update(
            recipient_name=name,
            unsubscribe_url=unsubscribe,
            preferences_url=absolute(path_of("notifications:preferences"))
            if row.recipient_id
            else "",
            site_url=settings.SITE_URL,
            kind_label=Kind(row.kind).label,
        )
        if renders is not None:
            return renders.compose(row, spec, address, context)
        return compose(row, spec, address, context)


def warm_up() -> None:
    """Build the URL resolver and compile every kind's templates (the template loader
    caches them), so a forked worker child inherits both instead of paying on its first
    mail. Failures are logged, never fatal: the first mail would then pay as before."""
    from django.template.loader import get_template

    from notifications.kinds import SPECS

    try:
        path_of("notifications:preferences")  # the first reverse() builds the resolver
        for spec in SPECS.values():
            for name in spec.templates:
                get_template(name)
    except Exception:
        logger.warning("warming up the mail templates failed", exc_info=True)


def render(spec: KindSpec, context: dict[str, Any]) -> tuple[str, str, str]:
    """Subject, text and HTML of a mail from its kind's three templates."""
    subject_template, text_template, html_template = spec.templates
    subject = render_to_string(subject_template, context)
    subject = "[RTM] " + re.sub(r"\s+", " ", subject).strip()
    return (
        subject,
        render_to_string(text_template, context),
        render_to_string(html_template, context),
    )


def compose(
    row: Notification,
    spec: KindSpec,
    address: str,
    context: dict[str, Any],
    rendered: tuple[str, str, str] | None = None,
) -> EmailMultiAlternatives:
    """The message for one row; `rendered` (subject, text, HTML) if already rendered."""
    subject, text, html = rendered if rendered is not None else render(spec, context)
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    headers = {
        "Message-ID": f"<notification-{row.pk}@{domain}>",
        "Auto-Submitted": "auto-generated",
    }
    if context.get("reply_to"):
        headers["Reply-To"] = context["reply_to"]
    if context.get("unsubscribe_url"):
        headers["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    headers.update(list_headers(row.kind))
    headers.update(context.get("headers") or {})  # a kind's own (a bounce's Auto-Submitted)
    message = SignedEmail(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
        headers=headers,
        reply_to=[context["reply_to"]] if context.get("reply_to") else None,
    )
    message.attach_alternative(html, "text/html")
    if spec.attachments is not None:
        for name, content, mimetype in spec.attachments(row, context):
            message.attach(name, content, mimetype)
    return message


__all__ = ["Loaded", "RenderOnce", "build", "compose", "render"]
