"""Search hits show readable text, not the Markdown source ("## Unsere Forderung")."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import make_statement
from tests.public.conftest import publish

pytestmark = pytest.mark.django_db


def test_snippet_drops_markdown_but_keeps_words_and_gender_star(coordinator):
    statement = make_statement(
        state="draft",
        title="Gesundheitskarte",
        body=(
            "Heute belastet das die Verwaltung.\n\n## Unsere Forderung\n\n"
            "Der **Landkreis** tritt der [Rahmenvereinbarung](https://example.org) bei, "
            "wie es *andere* Kommunen für Mitarbeiter*innen getan haben.\n\n- Punkt eins"
        ),
    )
    publish(statement, coordinator=coordinator)
    page = Client().get("/statements/?q=Landkreis").content.decode()
    hit = page.split("<main", 1)[1].split("</main>", 1)[0]
    assert "<mark>Landkreis</mark>" in hit
    for noise in ("##", "**", "](", "https://example.org", "*andere*"):
        assert noise not in hit, noise
    assert "Unsere Forderung Der" in hit
    assert "Mitarbeiter*innen" in hit
