"""Read-only admin views of comments and reports.

Every change goes through discussion.services (moderation happens in the
coordination's queue, where hiding records who and why).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from discussion.models import Comment, Report


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ("pk", "statement", "author", "created_at", "suggestion_status", "is_hidden")
    list_filter = ("suggestion_status", "is_hidden", "is_resolved")
    list_select_related = ("statement", "author")
    search_fields = ("statement__title", "body")
    exclude = ("body_html",)


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ("pk", "comment", "reporter", "created_at", "handled")
    list_filter = ("handled",)
    list_select_related = ("comment", "reporter")
