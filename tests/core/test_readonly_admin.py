"""Models that only services change are read-only in the admin, through one class."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib import admin

from core.admin import ReadOnlyAdminMixin

ROOT = Path(__file__).resolve().parents[2]

READ_ONLY = {
    "statements.statement",
    "statements.revision",
    "workflow.auditentry",
    "discussion.comment",
    "discussion.report",
    "voting.ballot",
    "voting.vote",
    "public.cosignature",
}


def test_models_that_services_change_are_read_only_in_the_admin():
    registered = {m._meta.label_lower: a for m, a in admin.site._registry.items()}
    assert READ_ONLY <= set(registered)
    for label in READ_ONLY:
        assert isinstance(registered[label], ReadOnlyAdminMixin), label
    inlines = registered["statements.statement"].inlines
    assert inlines and all(issubclass(i, ReadOnlyAdminMixin) for i in inlines)


def test_the_read_only_admin_is_written_once():
    for path in ROOT.glob("*/admin.py"):
        if path.parent.name == "core":
            continue
        assert "def has_add_permission" not in path.read_text(encoding="utf-8"), path


@pytest.mark.django_db
@pytest.mark.parametrize("label", sorted(READ_ONLY))
def test_staff_can_neither_add_nor_delete(admin_client, label):
    app, model = label.split(".")
    assert admin_client.get(f"/admin/{app}/{model}/add/").status_code == 403
    assert admin_client.get(f"/admin/{app}/{model}/").status_code == 200
