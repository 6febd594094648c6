"""Helpers for the notification tests."""

from __future__ import annotations

from email.message import Message

import pytest

from notifications.models import Channel, Notification, Status


@pytest.fixture
def outbox_rows():
    def rows(**filters):
        return list(Notification.objects.filter(**filters).order_by("pk"))

    return rows


def email_rows(**filters) -> list[Notification]:
    return list(Notification.objects.filter(channel=Channel.EMAIL, **filters).order_by("pk"))


def pending_count() -> int:
    return Notification.objects.filter(channel=Channel.EMAIL, status=Status.PENDING).count()


def text_of(message: Message) -> str:
    """The plain-text part of a received message, decoded."""
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    return ""


def html_of(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/html":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    return ""
