"""The journalist's view of a public position (issue 19), in a real browser, axe-clean."""

from __future__ import annotations

import pytest

from tests.browser.conftest import DESKTOP, PHONE, ROOT
from tests.factories import make_statement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = ROOT / "var" / "screenshots" / "issue19"


@pytest.fixture
def published(db, settings, tmp_path):
    settings.RTM_DOCUMENTS_DIR = tmp_path / "documents"
    settings.RTM_PRESS_NAME = "Pressestelle des RTM"
    settings.RTM_PRESS_PHONE = "+49 341 000000"
    return make_statement(
        state="published",
        title="Bezahlkarte: Bargeldgrenze aufheben",
        summary="Der RTM fordert, die Bargeldgrenze der Bezahlkarte aufzuheben.",
        body=(
            "## Worum es geht\n\nDie Bezahlkarte begrenzt Bargeld auf 50 Euro im Monat.\n\n"
            "## Unsere Forderung\n\nDer Landkreis soll die Grenze aufheben."
        ),
    )


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "360"])
def test_journalist_view_is_accessible(pages, check_a11y, published, viewport):
    SHOTS.mkdir(parents=True, exist_ok=True)
    width = viewport["width"]
    page = pages.new(viewport=viewport)
    page.goto(published.get_absolute_url())
    assert page.get_by_role("heading", name="Für die Presse").is_visible()
    page.screenshot(path=str(SHOTS / f"statement-{width}.png"), full_page=True)
    check_a11y(page, f"statement page {width}")
    page.get_by_role("link", name="Per Feed (Atom)").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Positionen als Feed abonnieren"
    check_a11y(page, f"feed about {width}")
    page.goto(f"/statements/{published.slug}/verify/")
    page.get_by_label("Text einfügen").fill("Ein anderer Text, nicht beschlossen.")
    page.get_by_role("button", name="Prüfen").click()
    assert "Keine Übereinstimmung" in page.content()
    page.screenshot(path=str(SHOTS / f"verify-{width}.png"), full_page=True)
    check_a11y(page, f"verify {width}")
