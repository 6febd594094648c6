"""The first run treats the user's data as theirs (issue 16, item 10).

`make run` runs seed_demo every time: the demo must never add comments, votes, follows or
co-signatures to papers people made themselves, nor to people it did not create. rundev
makes SITE_URL follow its address; with DEBUG the visitor sees the project's 404/403 pages.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from accounts.models import User
from core.management.commands.rundev import site_url_for
from discussion.models import Comment
from notifications.models import Follow, Notification
from public.models import CoSignature
from statements.models import Statement
from tests.factories import UserFactory, make_statement
from voting.models import Vote

pytestmark = pytest.mark.django_db


def _touches(paper: Statement) -> dict[str, int]:
    return {
        "comments": Comment.objects.filter(statement=paper).count(),
        "cosignatures": CoSignature.objects.filter(statement=paper).count(),
        "votes": Vote.objects.filter(ballot__statement=paper).count(),
        "follows": Follow.objects.filter(statement=paper).count(),
    }


def test_make_run_again_and_again_leaves_the_users_papers_alone():
    # A fresh checkout: a person signs up and writes before and after the first `make run`.
    call_command("seed_demo", stdout=StringIO())
    writer = UserFactory(display_name="Neue Person")
    amira = User.objects.get(email="amira@example.org")
    # Amira is a confirmed member of the organisation the demo signs for with her.
    mine = {
        state: make_statement(author=writer, state=state, title=f"Mein Papier {state}")
        for state in ("draft", "consultation", "voting", "published")
    }
    # A demo account writing its own paper: still not a demo paper.
    mine["amira"] = make_statement(author=amira, state="published", title="Amiras eigenes Papier")
    before = {state: _touches(paper) for state, paper in mine.items()}
    read_before = set(
        Notification.objects.filter(read_at__isnull=False).values_list("pk", flat=True)
    )
    unread_before = Notification.objects.filter(read_at__isnull=True).count()

    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())

    assert {state: _touches(paper) for state, paper in mine.items()} == before
    # (Votes come from the factory's own vote on the published ones.)
    assert all(t["comments"] == t["cosignatures"] == t["follows"] == 0 for t in before.values())
    # The second run marks nothing read (what people read since is theirs).
    assert Notification.objects.filter(read_at__isnull=True).count() == unread_before
    assert (
        set(Notification.objects.filter(read_at__isnull=False).values_list("pk", flat=True))
        == read_before
    )


def test_papers_written_before_the_first_run_stay_untouched():
    writer = UserFactory(display_name="Frühe Person")
    early = {
        state: make_statement(author=writer, state=state, title=f"Frühes Papier {state}")
        for state in ("draft", "consultation", "voting", "published")
    }
    call_command("seed_demo", stdout=StringIO())
    for state, paper in early.items():
        touches = _touches(paper)
        assert touches["comments"] == touches["cosignatures"] == touches["follows"] == 0, state
        if state == "voting":
            assert touches["votes"] == 0
    # The demo still has its own discussion, votes and co-signatures.
    assert Comment.objects.exclude(statement__in=early.values()).exists()
    assert CoSignature.objects.exists()
    assert Vote.objects.exists()


@pytest.mark.parametrize(
    ("addrport", "url"),
    [
        ("8013", "http://127.0.0.1:8013"),
        ("127.0.0.1:8013", "http://127.0.0.1:8013"),
        ("0.0.0.0:9000", "http://127.0.0.1:9000"),
        ("localhost:8001", "http://localhost:8001"),
        ("[::1]:8002", "http://[::1]:8002"),
    ],
)
def test_site_url_follows_the_rundev_address(addrport, url):
    assert site_url_for(addrport) == url


def test_rundev_sets_site_url_unless_given(monkeypatch, settings):
    from core.management.commands import rundev

    served = []
    monkeypatch.setattr(rundev, "call_command", lambda *a, **k: served.append(a))
    # rundev writes the process's settings and environment: let monkeypatch put both back
    # (pytest-django's `settings` restores only what is set through it), or every later
    # test would build its links on port 8013.
    from django.conf import settings as django_settings

    monkeypatch.setattr(django_settings, "SITE_URL", django_settings.SITE_URL)
    monkeypatch.setattr(
        django_settings, "CSRF_TRUSTED_ORIGINS", list(django_settings.CSRF_TRUSTED_ORIGINS)
    )
    monkeypatch.setenv("SITE_URL", "")
    monkeypatch.setenv("CSRF_TRUSTED_ORIGINS", "")
    call_command("rundev", "127.0.0.1:8013", "--no-worker", stdout=StringIO())
    assert settings.SITE_URL == "http://127.0.0.1:8013"
    assert settings.CSRF_TRUSTED_ORIGINS == ["http://127.0.0.1:8013"]
    import os

    assert os.environ["SITE_URL"] == "http://127.0.0.1:8013"  # the worker's mails
    monkeypatch.setenv("SITE_URL", "https://rtm.example.org")
    settings.SITE_URL = "https://rtm.example.org"
    call_command("rundev", "127.0.0.1:8014", "--no-worker", stdout=StringIO())
    assert settings.SITE_URL == "https://rtm.example.org"
    assert served == [("runserver", "127.0.0.1:8013"), ("runserver", "127.0.0.1:8014")]


@override_settings(DEBUG=True)
def test_debug_shows_the_projects_404_page_not_the_url_list():
    client = Client()
    for path in ("/no-such-page/", "/statements/no-such-paper/"):
        response = client.get(path)
        assert response.status_code == 404
        page = response.content.decode()
        assert "Seite nicht gefunden" in page, path
        assert "URLconf" not in page and "Django tried" not in page, path
    # The slash redirect still works for a path that exists with a slash.
    assert client.get("/about").status_code == 301


@override_settings(DEBUG=True)
def test_debug_shows_the_projects_403_page():
    member = UserFactory(display_name="Ohne Rechte")
    client = Client()
    client.force_login(member)
    response = client.get("/coordination/admissions/")
    assert response.status_code == 403
    assert "Django" not in response.content.decode()
    assert "<main" in response.content.decode()
