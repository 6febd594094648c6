"""Co-signatures: organisations that stand behind a published statement."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from statements.models import Statement


class CoSignature(models.Model):
    """One organisation co-signing one statement.

    `signed_by` is the member who signed for their organisation; it is empty when a
    coordinator added an organisation that asked by e-mail (or the member deleted
    their account). Only the organisation is ever shown publicly.
    """

    statement = models.ForeignKey(
        Statement,
        on_delete=models.CASCADE,
        related_name="cosignatures",
        verbose_name=_("Stellungnahme"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="cosignatures",
        verbose_name=_("Organisation"),
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cosignatures_signed",
        verbose_name=_("unterzeichnet von"),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("eingetragen von"),
    )
    created_at = models.DateTimeField(_("eingetragen am"), default=timezone.now)

    class Meta:
        verbose_name = _("Mitzeichnung")
        verbose_name_plural = _("Mitzeichnungen")
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "organisation"], name="one_cosignature_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.statement}"
