"""Co-signatures in the admin: read-only (changes go through public.services, which
also refresh the cached public pages)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from public.models import CoSignature


@admin.register(CoSignature)
class CoSignatureAdmin(admin.ModelAdmin):
    list_display = ("organisation", "statement", "signed_by", "added_by", "created_at")
    list_select_related = ("organisation", "statement", "signed_by", "added_by")
    search_fields = ("organisation__name", "statement__title")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
