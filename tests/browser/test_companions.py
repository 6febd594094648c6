"""An Arabic version of a published position (issue 19) in a real browser: right to left,
mirrored layout, axe-clean at 1280 and 360 px; the original links to it."""

from __future__ import annotations

import pytest

from statements import companions
from tests.browser.conftest import DESKTOP, PHONE, ROOT
from tests.factories import UserFactory, make_statement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = ROOT / "var" / "screenshots" / "issue19"
ARABIC = (
    "## ما المشكلة\n\nتحدّ بطاقة الدفع من النقود إلى خمسين يورو في الشهر.\n\n"
    "## مطلبنا\n\n- أن يلغي المجلس هذا الحد\n- أن يتمكن الجميع من التحويل المصرفي\n\n"
    "> لا ينبغي أن يعيش أحد بلا نقود."
)


@pytest.fixture
def arabic(db, settings, tmp_path):
    settings.RTM_DOCUMENTS_DIR = tmp_path / "documents"
    writer = UserFactory(display_name="Rana Haddad")
    reviewer = UserFactory(display_name="Samir Khoury")
    statement = make_statement(
        state="published",
        title="Bezahlkarte: Bargeldgrenze aufheben",
        body="## Worum es geht\n\nDie Bezahlkarte begrenzt Bargeld auf 50 Euro im Monat.",
    )
    companion = companions.companion_save(
        statement=statement,
        actor=writer,
        kind="translation",
        language_code="ar",
        title="بطاقة الدفع: إلغاء حد النقود",
        body=ARABIC,
    )
    return companions.companion_approve(companion_id=companion.pk, actor=reviewer)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "360"])
def test_arabic_version_is_rtl_and_accessible(pages, check_a11y, arabic, viewport):
    SHOTS.mkdir(parents=True, exist_ok=True)
    width = viewport["width"]
    page = pages.new(viewport=viewport)
    page.goto(arabic.statement.get_absolute_url())
    page.get_by_role("link", name="العربية").click()
    content = page.locator(".companion-content")
    assert content.get_attribute("dir") == "rtl" and content.get_attribute("lang") == "ar"
    assert content.evaluate("e => getComputedStyle(e).direction") == "rtl"
    # Mirrored: the list's indent is on the right, the text starts at the right edge.
    indent = page.locator(".companion-content ul").evaluate(
        "e => [getComputedStyle(e).paddingRight, getComputedStyle(e).paddingLeft]"
    )
    assert indent[0] != "0px" and indent[1] == "0px"
    assert "Samir Khoury" in page.content()
    page.screenshot(path=str(SHOTS / f"companion-ar-{width}.png"), full_page=True)
    check_a11y(page, f"arabic version {width}")


def test_public_page_with_answers(pages, check_a11y, arabic):
    """Item 3: "sent to … on …; answered by … on …", the Arabic version linked."""
    import datetime as dt

    from public import addressees
    from tests.factories import UserFactory as People

    coordinator = People(display_name="Kora Koordination", is_coordinator=True)
    statement = arabic.statement
    office = addressees.addressee_create(
        actor=coordinator,
        name="Büro des Landrats",
        organisation="Landratsamt Landkreis Leipzig",
        email="landrat@lk.example",
        kind="administration",
    )
    addressees.position_send(
        statement_id=statement.pk, actor=coordinator, addressee_ids=[office.pk]
    )
    addressees.answer_add(
        statement=statement,
        actor=coordinator,
        sender="Landratsamt Landkreis Leipzig",
        received_on=dt.date(2026, 12, 4),
        text="Wir prüfen die Forderung und melden uns bis Ende Januar.",
        is_public=True,
        addressee=office,
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = pages.new(viewport=DESKTOP)
    page.goto(statement.get_absolute_url())
    assert "Beantwortet von Landratsamt Landkreis Leipzig" in page.content()
    page.screenshot(path=str(SHOTS / "statement-answers-1280.png"), full_page=True)
    check_a11y(page, "public page with answers")
