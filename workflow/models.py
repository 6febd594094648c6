"""The audit trail: one row per state transition, never changed afterwards."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from statements.states import State
from workflow.spec import AUDIT_CHOICES


class AuditEntry(models.Model):
    statement = models.ForeignKey(
        "statements.Statement", on_delete=models.CASCADE, related_name="audit_entries"
    )
    # A state transition (workflow.spec.Transition) or a same-state decision (Decision).
    transition = models.CharField(max_length=30, choices=AUDIT_CHOICES)
    from_state = models.CharField(max_length=20, choices=State.choices)
    to_state = models.CharField(max_length=20, choices=State.choices)
    # NULL actor with is_system=True means Celery beat did it; NULL actor with
    # is_system=False means the person has since deleted their account.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_system = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    # For schedule_publication: the publication time that was set (NULL: lifted); for
    # shorten_*: the shortened deadline.
    scheduled_for = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Protokoll")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.statement_id}: {self.from_state} → {self.to_state}"
