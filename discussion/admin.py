"""Read-only admin views of comments and reports.

Every change goes through discussion.services (moderation happens in the
coordination's queue, where hiding records who and why).
"""

from __future__ import annotations

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from discussion.models import Comment, Report


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
