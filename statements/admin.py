"""Admin for staff: topics (coordinators manage them at /coordination/topics/ too); papers and
revisions are read-only (text changes go through statements.services, state changes through
workflow.services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from core.admin import ReadOnlyAdmin, ReadOnlyAdminMixin
from core.pagecache import invalidate_public_pages
from core.text import clean_line
from statements.models import Coauthorship, Revision, Statement, Topic
from statements.services import topic_create, topic_update


class TopicAdminForm(forms.ModelForm):
    class Meta:
        model = Topic
        fields = ["name", "name_en"]

    def clean_name(self) -> str:
        return clean_line(self.cleaned_data["name"])

    def clean_name_en(self) -> str:
        return clean_line(self.cleaned_data["name_en"])


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    form = TopicAdminForm
    list_display = ("name", "name_en", "slug")
    readonly_fields = ("slug",)
    search_fields = ("name", "name_en")

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # The slug is made from the name when the topic is created and never changes:
        # per-topic feed and list URLs must keep working after a rename.
        return ["name", "name_en", "slug"] if obj is not None else ["name", "name_en"]

    # Through the same services as /coordination/topics/ (they make the slug once and
    # make the public pages, which show topic names, stale).
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            topic = topic_update(topic_id=obj.pk, name=obj.name, name_en=obj.name_en)
        else:
            topic = topic_create(name=obj.name, name_en=obj.name_en)
        obj.pk, obj.slug = topic.pk, topic.slug

    # A deletion must not linger in cached copies either.

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        invalidate_public_pages()

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        super().delete_queryset(request, queryset)
        invalidate_public_pages()


class CoauthorshipInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Coauthorship
    fk_name = "statement"
    fields = ("user", "added_by", "added_at")
    extra = 0


class RevisionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Revision
    fields = ("number", "author", "created_at", "message")
    extra = 0
    show_change_link = True


@admin.register(Statement)
class StatementAdmin(ReadOnlyAdmin):
    list_display = ("title", "state", "created_by", "updated_at", "published_at")
    list_filter = ("state", "topics", "language")
    list_select_related = ("created_by",)
    search_fields = ("title", "summary", "slug")
    exclude = ("body",)
    inlines = (CoauthorshipInline, RevisionInline)


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdmin):
    list_display = ("statement", "number", "author", "created_at", "message")
    list_select_related = ("statement", "author")
    search_fields = ("statement__title", "message")
    exclude = ("body_html",)
