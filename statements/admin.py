"""Admin for staff: topics (coordinators manage them at /coordination/topics/ too); papers and
revisions are read-only (text changes go through statements.services, state changes through
workflow.services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from core.text import clean_line
from public.cache import invalidate_public_pages
from statements.models import Coauthorship, Revision, Statement, Topic


class TopicAdminForm(forms.ModelForm):
    class Meta:
        model = Topic
        fields = ["name", "name_en", "slug"]

    def clean_name(self) -> str:
        return clean_line(self.cleaned_data["name"])

    def clean_name_en(self) -> str:
        return clean_line(self.cleaned_data["name_en"])


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    form = TopicAdminForm
    list_display = ("name", "name_en", "slug")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name", "name_en")

    # Topic names and slugs appear on the public list, pages, feeds and API: a rename or
    # deletion must not linger in cached copies.
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        invalidate_public_pages()

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        invalidate_public_pages()

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        super().delete_queryset(request, queryset)
        invalidate_public_pages()


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CoauthorshipInline(ReadOnlyMixin, admin.TabularInline):
    model = Coauthorship
    fk_name = "statement"
    fields = ("user", "added_by", "added_at")
    extra = 0


class RevisionInline(ReadOnlyMixin, admin.TabularInline):
    model = Revision
    fields = ("number", "author", "created_at", "message")
    extra = 0
    show_change_link = True


@admin.register(Statement)
class StatementAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("title", "state", "created_by", "updated_at", "published_at")
    list_filter = ("state", "topics", "language")
    list_select_related = ("created_by",)
    search_fields = ("title", "summary", "slug")
    exclude = ("body",)
    inlines = (CoauthorshipInline, RevisionInline)


@admin.register(Revision)
class RevisionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("statement", "number", "author", "created_at", "message")
    list_select_related = ("statement", "author")
    search_fields = ("statement__title", "message")
    exclude = ("body_html",)
