"""The audit trail in the admin: read-only, since history is never edited."""

from __future__ import annotations

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from workflow.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "statement",
        "transition",
        "from_state",
        "to_state",
        "actor",
        "is_system",
    )
    list_filter = ("transition", "to_state", "is_system")
    search_fields = ("statement__title", "note")
    list_select_related = ("statement", "actor")
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
