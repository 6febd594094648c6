"""A restore restores what the public sees (issue 21, item 5).

The public generation lives in the cache, not the database: after a restore the pages,
the API and the feed kept showing the site from before for up to a day. The documented
restore (docs/deployment.md) runs `clear_public_cache`, and web runs it at each start.
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.test import Client

from statements.models import Statement
from tests.factories import make_statement
from tests.public.conftest import publish

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_after_a_restore_the_public_sees_the_restored_state(coordinator):
    statement = publish(
        make_statement(state="draft", title="Vor der Sicherung"), coordinator=coordinator
    )
    urls = [f"/statements/{statement.slug}/", "/api/statements/", "/statements/"]
    for url in urls:
        assert "Vor der Sicherung" in Client().get(url).content.decode()  # now cached

    # The restore replaces the database underneath; nothing in the app is told.
    Statement.objects.filter(pk=statement.pk).update(title="Aus der Sicherung")
    assert "Vor der Sicherung" in Client().get(urls[0]).content.decode()  # the stale copy

    call_command("clear_public_cache", stdout=StringIO())
    for url in urls:
        page = Client().get(url).content.decode()
        assert "Aus der Sicherung" in page and "Vor der Sicherung" not in page, url


def test_the_documented_restore_and_every_web_start_clear_it():
    assert "clear_public_cache" in (ROOT / "docs" / "deployment.md").read_text()
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    web = " ".join(compose["services"]["web"]["command"])
    assert web.index("migrate") < web.index("clear_public_cache") < web.index("gunicorn")
