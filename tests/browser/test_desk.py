"""The coordinator's desk in Chromium (issue 16, item 7): WCAG 2.2 AA at 1280 and 360 px in
both languages, the header count leading there, without JavaScript too."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.services import admission_request_create
from statements.models import Statement
from tests.browser.conftest import DESKTOP, PHONE
from tests.factories import UserFactory, make_statement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def waiting(db):
    coordinator = UserFactory(display_name="Kora Koordination", is_coordinator=True)
    UserFactory(display_name="Nora Nichtwählerin")
    admission_request_create(
        user=UserFactory(membership_status="registered", display_name="Paul Neu"),
        organisation_text="",
        reason="Ich arbeite in der Beratung.",
    )
    paper = make_statement(author=UserFactory(), state="consultation", title="Nach der Frist")
    Statement.objects.filter(pk=paper.pk).update(
        consultation_ends_at=timezone.now() - timedelta(days=2)
    )
    make_statement(author=UserFactory(), state="voting", title="Läuft noch")
    make_statement(author=UserFactory(), state="accepted", title="Zu veröffentlichen")
    return coordinator


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_desk_is_accessible_and_reached_from_the_header(
    pages, check_a11y, waiting, language, viewport
):
    page = pages.new(user=waiting, viewport=viewport, language=language)
    page.goto("/")
    if viewport is PHONE:
        page.locator(".site-menu > summary").click()
    link = page.locator(".site-menu a[href='/coordination/']")
    assert link.locator(".badge").inner_text().startswith("3")  # request, consultation, accepted
    link.click()
    page.wait_for_url("**/coordination/")
    heading = "Schreibtisch der Koordination" if language == "de" else "Coordination desk"
    assert page.get_by_role("heading", level=1).inner_text() == heading
    content = page.content()
    for text in ("Paul Neu", "Nach der Frist", "Läuft noch", "Nora Nichtwählerin"):
        assert text in content, text
    check_a11y(page, f"desk, {viewport['width']} px, {language}")
    pages.screenshot(page, f"desk-{viewport['width']}-{language}")


def test_desk_without_javascript(pages, waiting):
    page = pages.new(user=waiting, javascript=False, viewport=PHONE)
    page.goto("/coordination/")
    assert "Zu veröffentlichen" in page.content()
    page.get_by_role("link", name="Anträge entscheiden").click()
    page.wait_for_url("**/coordination/admissions/")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_extend_a_running_vote_from_the_desk(pages, check_a11y, waiting, javascript):
    from voting.models import Ballot

    ballot = Ballot.objects.get(statement__title="Läuft noch", closed_at__isnull=True)
    later = timezone.localtime(ballot.closes_at + timedelta(days=2))
    page = pages.new(user=waiting, viewport=PHONE, javascript=javascript)
    page.goto("/coordination/")
    page.locator("a.desk-extend").first.click()
    page.wait_for_url("**/extend-voting/")
    if javascript:
        check_a11y(page, "extend voting, 360 px")
    page.get_by_label("Neue Frist").fill(later.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Begründung").fill("Die Sitzung wurde verschoben.")
    page.get_by_role("button", name="Abstimmungsfrist verlängern").click()
    page.get_by_text("Die Abstimmungsfrist ist verlängert.").wait_for()
    ballot.refresh_from_db()
    assert ballot.closes_at == later.replace(second=0, microsecond=0)
