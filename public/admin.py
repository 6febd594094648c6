"""Co-signatures in the admin: read-only (changes go through public.services, which
also refresh the cached public pages)."""

from __future__ import annotations

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from public.models import CoSignature


@admin.register(CoSignature)
class CoSignatureAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "statement", "signed_by", "added_by", "created_at")
    list_select_related = ("organisation", "statement", "signed_by", "added_by")
    search_fields = ("organisation__name", "statement__title")
    date_hierarchy = "created_at"
