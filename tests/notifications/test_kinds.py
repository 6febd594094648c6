"""Every kind of notification is described completely in notifications/kinds.py.

Before the table, a kind without a builder failed only at send time, after five
retries; now the system check (run by manage.py check, migrate and runserver) and
these tests refuse it.
"""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.template.loader import get_template

from core.events import EventKind
from notifications import kinds
from notifications.checks import notification_kinds_complete, problems_in
from notifications.models import Kind, Mode


@pytest.mark.parametrize("kind", EventKind.values)
def test_every_event_kind_has_a_complete_spec(kind):
    spec = kinds.SPECS[kind]
    assert spec.is_event, "who is concerned?"
    assert callable(spec.build) and callable(spec.link)
    assert spec.locked or spec.default_mode in Mode.values
    for name in spec.templates:
        assert get_template(name), name


@pytest.mark.parametrize("kind", Kind.values)
def test_every_kind_has_its_three_templates(kind):
    subject, text, html = kinds.SPECS[kind].templates
    assert subject.endswith(f"{kind}_subject.txt")
    assert text.endswith(f"{kind}.txt")
    assert html.endswith(f"{kind}.html")
    for name in (subject, text, html):
        get_template(name)


def test_the_table_as_it_stands_has_no_problems():
    assert problems_in(kinds.SPECS) == []
    assert notification_kinds_complete() == []


def test_derived_views_follow_the_table():
    assert set(kinds.LOCKED_KINDS) == {k for k, s in kinds.SPECS.items() if s.locked}
    assert Kind.MEMBER_INVITED in kinds.LOCKED_KINDS
    # Offered on the preferences page: what has a default mode, nothing for outsiders.
    assert Kind.MEMBER_INVITED not in kinds.PREFERENCE_KINDS
    assert Kind.SUBSCRIPTION_CONFIRM not in kinds.PREFERENCE_KINDS
    assert kinds.DEFAULT_MODES[Kind.COMMENT_CREATED] == Mode.DIGEST


def test_a_missing_builder_or_template_is_found_before_any_mail(monkeypatch):
    broken = dict(kinds.SPECS)
    broken[Kind.VOTING_RESULT] = dataclasses.replace(broken[Kind.VOTING_RESULT], build=None)
    broken[Kind.PUBLISHED] = dataclasses.replace(broken[Kind.PUBLISHED], recipients=None)
    broken[Kind.MENTIONED] = SimpleNamespace(
        **{
            f.name: getattr(kinds.SPECS[Kind.MENTIONED], f.name)
            for f in dataclasses.fields(kinds.KindSpec)
        },
        templates=("notifications/email/nope_subject.txt", "nope.txt", "nope.html"),
    )
    del broken[Kind.DIGEST]
    found = problems_in(broken)
    assert "voting_result: no builder" in found
    assert "published: an event kind without a recipient rule" in found
    assert "mentioned: template nope.txt does not exist" in found
    assert "digest: no spec" in found

    # manage.py check (and so migrate and runserver) refuses to go on.
    monkeypatch.setattr(kinds, "SPECS", broken)
    with pytest.raises(SystemCheckError, match="notifications.E001"):
        call_command("check")


def test_locked_kinds_cannot_default_to_the_digest():
    spec = dataclasses.replace(kinds.SPECS[Kind.ADMISSION_DECIDED], default_mode=Mode.DIGEST)
    found = problems_in({**kinds.SPECS, Kind.ADMISSION_DECIDED: spec})
    assert found == ["admission_decided: locked, so its mode can only be 'immediately'"]
