"""Django admin for staff. Its login goes through allauth, so it is rate-limited too."""

from __future__ import annotations

from typing import Any

from allauth.account.decorators import secure_admin_login
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.forms import DisplayNameMixin
from accounts.models import (
    AdmissionRequest,
    Invitation,
    Organisation,
    OrganisationMembership,
    User,
)
from core.pagecache import invalidate_public_pages
from core.text import clean_line

# allauth's documented way: the admin login page sends anonymous visitors to allauth's
# login (rate limits, MFA) and refuses signed-in non-staff.
admin.site.login = secure_admin_login(admin.site.login)


class UserCreationAdminForm(DisplayNameMixin, AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "display_name")


class OrganisationMembershipInline(admin.TabularInline):
    """Staff may correct a membership here; the coordination's page is the normal way."""

    model = OrganisationMembership
    fk_name = "user"
    extra = 0
    raw_id_fields = ["organisation", "decided_by"]


class UserChangeAdminForm(DisplayNameMixin, UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    add_form = UserCreationAdminForm
    form = UserChangeAdminForm
    ordering = ["display_name", "email"]
    list_display = ["email", "display_name", "membership_status", "is_coordinator", "is_staff"]
    list_filter = ["membership_status", "is_coordinator", "is_staff", "is_active"]
    search_fields = ["email", "display_name"]
    filter_horizontal = ["groups", "user_permissions"]
    inlines = [OrganisationMembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profil"), {"fields": ("display_name", "language", "phone")}),
        (_("Mitgliedschaft"), {"fields": ("membership_status", "is_coordinator", "member_since")}),
        (
            _("Rechte"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Daten"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "display_name", "usable_password", "password1", "password2"),
            },
        ),
    )


class OrganisationAdminForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "slug", "kind", "website"]

    def clean_name(self) -> str:
        return clean_line(self.cleaned_data["name"])


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = OrganisationAdminForm
    list_display = ["name", "kind", "website"]
    list_filter = ["kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    # Typed addresses without a scheme become https (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    # Public pages name co-signing organisations: edits here must reach cached copies too.
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        invalidate_public_pages()

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        invalidate_public_pages()

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        super().delete_queryset(request, queryset)
        invalidate_public_pages()


@admin.register(AdmissionRequest)
class AdmissionRequestAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation_text", "created_at", "decision", "decided_by"]
    list_filter = ["decision"]
    list_select_related = ["user", "decided_by"]
    raw_id_fields = ["user", "decided_by"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "invited_by", "created_at", "accepted_at"]
    list_select_related = ["invited_by"]
    raw_id_fields = ["invited_by", "accepted_by"]
