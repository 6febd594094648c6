"""The audit trail in the admin: read-only, since history is never edited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from workflow.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
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

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
