"""One row per inbound message: the audit of every decision and the replay guard."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import pgettext_lazy


class Decision(models.TextChoices):
    ACCEPTED = "accepted", pgettext_lazy("inbound decision", "angenommen")
    NO_TOKEN = "no_token", pgettext_lazy("inbound decision", "keine Antwortadresse")
    FORGED = "forged", pgettext_lazy("inbound decision", "gefälschte Antwortadresse")
    EXPIRED = "expired", pgettext_lazy("inbound decision", "abgelaufene Antwortadresse")
    WRONG_SENDER = "wrong_sender", pgettext_lazy("inbound decision", "falscher Absender")
    NOT_ALLOWED = "not_allowed", pgettext_lazy("inbound decision", "nicht (mehr) berechtigt")
    NOT_MEMBER = "not_member", pgettext_lazy("inbound decision", "kein Mitglied")
    ATTACHMENT = "attachment", pgettext_lazy("inbound decision", "Anhang")
    EMPTY = "empty", pgettext_lazy("inbound decision", "kein Text")
    REFUSED = "refused", pgettext_lazy("inbound decision", "abgelehnt")
    REPLAY = "replay", pgettext_lazy("inbound decision", "bereits erhalten")


class InboundMessage(models.Model):
    # The Message-ID header, or a hash of the raw message when it has none; unique, so
    # the same message delivered twice (or replayed) is answered once.
    message_key = models.CharField(max_length=255, unique=True)
    received_at = models.DateTimeField(default=timezone.now)
    sender = models.CharField(max_length=254, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    target = models.CharField(max_length=40, blank=True)  # "comment_thread:12"
    decision = models.CharField(max_length=20, choices=Decision.choices)
    created = models.CharField(max_length=40, blank=True)  # "discussion.comment:34"
    detail = models.TextField(blank=True)
    # For the bounce, written by the outbox at send time (notifications.builders).
    subject = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["decision", "received_at"])]

    def __str__(self) -> str:
        return f"{self.message_key} {self.decision}"
