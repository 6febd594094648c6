"""Internal pages in Chromium: WCAG 2.2 AA (axe-core), JavaScript off, keyboard only."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.browser.conftest import DESKTOP, PHONE
from tests.factories import UserFactory, make_statement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = "Die Bezahlkarte begrenzt Bargeld.\n\nDer Landkreis soll die Grenze aufheben."


@pytest.fixture
def cast(db):
    author = UserFactory(display_name="Amira Autorin")
    coauthor = UserFactory(display_name="Jonas Mitautor")
    member = UserFactory(display_name="Lena Mitglied")
    coordinator = UserFactory(display_name="Kora Koordination", is_coordinator=True)
    papers = {
        state: make_statement(
            author=author, coauthors=[coauthor], state=state, body=BODY, title=f"Papier {state}"
        )
        for state in ("draft", "consultation", "voting", "published")
    }
    from discussion.services import comment_create
    from statements.markdown import blocks

    consultation = papers["consultation"]
    comment_create(
        statement=consultation,
        author=member,
        body="Bitte konkreter.",
        block_id=blocks(consultation.current_revision.body)[0].id,
        suggestion_text="Die Bezahlkarte begrenzt Bargeld auf 50 Euro.",
    )
    return {"author": author, "member": member, "coordinator": coordinator, "papers": papers}


def internal_urls(cast) -> list[str]:  # noqa: ANN001
    papers = cast["papers"]
    draft, consultation = papers["draft"], papers["consultation"]
    return [
        reverse("statements:dashboard"),
        reverse("statements:new"),
        draft.get_absolute_url(),
        reverse("statements:edit", kwargs={"slug": draft.slug}),
        reverse("statements:history", kwargs={"slug": draft.slug}),
        consultation.get_absolute_url(),
        papers["voting"].get_absolute_url(),
        papers["published"].get_absolute_url(),
        reverse("workflow:transition", kwargs={"slug": draft.slug, "name": "submit"}),
        reverse("notifications:list"),
        reverse("notifications:preferences"),
        reverse("accounts:profile"),
        reverse("accounts:directory"),
    ]


def coordination_urls() -> list[str]:
    return [
        reverse("accounts:admission_queue"),
        reverse("accounts:member_admin"),
        reverse("accounts:organisation_list"),
        reverse("accounts:invitation_list"),
        reverse("discussion:report_queue"),
        reverse("notifications:failed"),
        reverse("mfa_index"),
    ]


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_internal_pages_have_no_wcag_violations(pages, check_a11y, cast, language, viewport):
    author = pages.new(user=cast["author"], viewport=viewport, language=language)
    for url in internal_urls(cast):
        response = author.goto(url)
        assert response.status == 200, url
        check_a11y(author, f"{url} [{language}, {viewport['width']}px, author]")
    coordinator = pages.new(user=cast["coordinator"], viewport=viewport, language=language)
    for url in coordination_urls():
        response = coordinator.goto(url)
        assert response.status == 200, url
        check_a11y(coordinator, f"{url} [{language}, {viewport['width']}px, coordinator]")
    pages.screenshot(author, f"consultation-{language}-{viewport['width']}")


def test_reading_commenting_and_voting_without_javascript(pages, cast):
    """The no-JS journeys: a visitor reads, a member comments and votes."""
    papers = cast["papers"]
    visitor = pages.new(javascript=False)
    visitor.goto(reverse("public:statement_list"))
    visitor.get_by_role("link", name=papers["published"].title).first.click()
    assert "Der Landkreis soll die Grenze aufheben." in visitor.locator("main").inner_text()

    member = pages.new(user=cast["member"], javascript=False)
    member.goto(papers["consultation"].get_absolute_url())
    form = member.locator("#new-comment form")
    form.get_by_label("Kommentar", exact=True).fill("Ohne JavaScript geschrieben.")
    form.get_by_role("button", name="Kommentieren").click()
    assert "Ohne JavaScript geschrieben." in member.locator("main").inner_text()

    member.goto(papers["voting"].get_absolute_url())
    panel = member.locator("#abstimmung")
    panel.get_by_label("Nein", exact=True).check()
    panel.get_by_role("button", name="Stimme abgeben").click()
    member.locator("#abstimmung").get_by_role("button", name="Stimme ändern").wait_for()
    from voting.models import Vote

    vote = Vote.objects.get(voter=cast["member"], ballot__statement=papers["voting"])
    assert vote.choice == "no"
    pages.screenshot(member, "voted-without-js")


def test_keyboard_only_comment_and_vote(pages, cast):
    """Skip link, then Tab/Space/Enter only: comment on a paper and vote on another."""
    papers = cast["papers"]
    page = pages.new(user=cast["member"])
    page.goto(papers["consultation"].get_absolute_url())
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "Zum Inhalt springen"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"

    def tab_to(selector: str, limit: int = 200) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate("s => document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"Tab never reached {selector}")

    tab_to("#new-comment textarea[name=body]")
    page.keyboard.type("Mit der Tastatur geschrieben.")
    tab_to("#new-comment button[type=submit]")
    page.keyboard.press("Enter")
    page.get_by_text("Mit der Tastatur geschrieben.").first.wait_for()

    page.goto(papers["voting"].get_absolute_url())
    tab_to("#abstimmung input[type=radio]")
    page.keyboard.press("Space")
    tab_to("#abstimmung button[type=submit]")
    page.keyboard.press("Enter")
    page.locator("#abstimmung").get_by_role("button", name=re.compile("Stimme ändern")).wait_for()
