"""An unreviewed plain-language version or translation never reaches a visitor: a canary
in its title and text must not appear in any anonymous answer on any GET URL of the
authorization matrix (feeds, API, sitemap and the paper's page included), and its own
page and PDF answer 404 until a second member approved it."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from statements import companions
from tests.authz.test_matrix import MATRIX
from tests.authz.world import STATES, World

pytestmark = pytest.mark.django_db
CANARY = "kanarienfassung"


def _plant(world: World) -> list[str]:
    own = []
    statement = world.statements["published"]
    for kind, code in (("plain", "einfach"), ("translation", "ar")):
        companions.companion_save(
            statement=statement,
            actor=world.users["member"],
            kind=kind,
            language_code=code if code != "einfach" else "de",
            title=f"Titel {CANARY}",
            body=f"Text {CANARY} für alle.",
        )
        own += [
            reverse("public:companion", kwargs={"slug": statement.slug, "code": code}),
            reverse("public:companion_pdf", kwargs={"slug": statement.slug, "code": code}),
        ]
    return own


def test_no_unreviewed_version_in_any_anonymous_answer(world: World):
    client = Client()
    leaks, checked = [], 0
    with transaction.atomic():
        own = _plant(world)
        for url in own:
            assert client.get(url).status_code == 404, url
        for row in MATRIX:
            if row.method != "GET":
                continue
            for state in STATES if row.per_state else (None,):
                url = reverse(row.name, kwargs=row.kwargs(world, state))
                response = client.get(url)
                checked += 1
                if CANARY in response.content.decode(errors="replace").lower():
                    leaks.append(url)
        transaction.set_rollback(True)
    assert not leaks, f"unreviewed version shown to a visitor on {leaks}"
    assert checked > 40


def test_the_canary_is_there_for_members(world: World):
    """The scan above would pass if the canary were never planted."""
    with transaction.atomic():
        _plant(world)
        slug = world.statements["published"].slug
        page = world.client("author").get(reverse("public:companion_list", kwargs={"slug": slug}))
        assert CANARY in page.content.decode().lower()
        transaction.set_rollback(True)
