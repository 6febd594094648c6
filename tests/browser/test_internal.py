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
    comment = comment_create(
        statement=consultation,
        author=member,
        body="Bitte konkreter.",
        block_id=blocks(consultation.current_revision.body)[0].id,
        suggestion_text="Die Bezahlkarte begrenzt Bargeld auf 50 Euro.",
    )
    # The coordination pages with rows that carry actions: an open invitation, a suspension.
    from accounts.models import Invitation

    Invitation.objects.create(email="eingeladen@example.org", invited_by=coordinator)
    UserFactory(
        display_name="Sven Gesperrt",
        membership_status="suspended",
        suspension_reason="Wiederholt gegen die Gesprächsregeln verstoßen.",
    )
    # Memberships in every status: the author is the organisation's contact (the profile and
    # the co-signing panel show it), the member asks to belong, someone was declined.
    from accounts.services import organisation_membership_decide, organisation_membership_request
    from tests.factories import OrganisationFactory, confirm_membership

    organisation = OrganisationFactory(name="Willkommensinitiative Grimma")
    confirm_membership(author, organisation, contact=True)
    confirm_membership(coauthor, organisation)
    organisation_membership_request(user=member, organisation=organisation)
    declined = organisation_membership_request(user=UserFactory(), organisation=organisation)
    organisation_membership_decide(membership_id=declined.pk, by=coordinator, confirm=False)
    return {
        "author": author,
        "member": member,
        "coordinator": coordinator,
        "papers": papers,
        "comment": comment,
        "organisation": organisation,
    }


def internal_urls(cast) -> list[str]:
    papers = cast["papers"]
    draft, consultation = papers["draft"], papers["consultation"]
    return [
        reverse("statements:dashboard"),
        reverse("statements:search") + "?q=Bezahlkarte",
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
        reverse("accounts:organisation_members", kwargs={"pk": cast["organisation"].pk}),
        reverse("statements:revision", kwargs={"slug": consultation.slug, "number": 1}),
        reverse("statements:diff", kwargs={"slug": draft.slug, "a": 1, "b": 1}),
        reverse("discussion:comment_history", kwargs={"pk": cast["comment"].pk}),
        reverse("discussion:comment_report", kwargs={"pk": cast["comment"].pk}),
    ]


def coordination_urls(cast) -> list[str]:
    papers = cast["papers"]
    return [
        reverse(
            "workflow:transition",
            kwargs={"slug": papers["consultation"].slug, "name": "open_vote"},
        ),
        reverse(
            "workflow:transition", kwargs={"slug": papers["voting"].slug, "name": "close_vote"}
        ),
        reverse("discussion:comment_hide", kwargs={"pk": cast["comment"].pk}),
        reverse("accounts:admission_queue"),
        reverse("accounts:member_admin"),
        reverse("accounts:organisation_list"),
        reverse("accounts:membership_queue"),
        reverse("accounts:organisation_members", kwargs={"pk": cast["organisation"].pk}),
        reverse("accounts:invitation_list"),
        reverse("statements:topic_list"),
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
    for url in coordination_urls(cast):
        refused = "close_vote" in url  # not everyone voted yet: the 409 page is checked too
        if refused:
            pages.expect_failure(url)
        response = coordinator.goto(url)
        assert response.status == (409 if refused else 200), url
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


class Keyboard:
    """Tab/Enter/Space only: moves focus until it sits on what the test wants next."""

    def __init__(self, page) -> None:
        self.page = page

    def tab_to(self, selector: str, limit: int = 250) -> None:
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            if self.page.evaluate("s => document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"Tab never reached {selector} on {self.page.url}")

    def activate(self, selector: str) -> None:
        self.tab_to(selector)
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")

    def type_into(self, selector: str, text: str, *, clear: bool = False) -> None:
        self.tab_to(selector)
        if clear:
            self.page.keyboard.press("Control+A")
        self.page.keyboard.type(text)


def test_keyboard_only_journeys(pages, cast):
    """Journeys (1)-(3) with the keyboard alone: edit and submit, comment with a suggestion,
    apply it, open the vote, vote. Starts with the skip link."""
    from statements.models import Statement

    papers = cast["papers"]
    draft = papers["draft"]
    author = pages.new(user=cast["author"])
    keys = Keyboard(author)
    author.goto(draft.get_absolute_url())
    author.keyboard.press("Tab")
    assert author.evaluate("() => document.activeElement.textContent.trim()") == (
        "Zum Inhalt springen"
    )
    author.keyboard.press("Enter")
    assert author.evaluate("() => document.activeElement.id") == "main"

    # (1) edit, save, submit
    keys.activate("a[href$='/edit/']")
    keys.type_into("textarea[name=body]", BODY + "\n\nMit der Tastatur ergänzt.", clear=True)
    keys.activate("button[name=save]")
    keys.activate("a[href*='/transition/submit/']")
    keys.activate("main form button[type=submit]")
    draft.refresh_from_db()
    assert draft.state == "consultation"
    assert "Mit der Tastatur ergänzt." in draft.current_revision.body

    # (2) a member comments on the first paragraph with a suggestion; the author applies it
    member = pages.new(user=cast["member"])
    mkeys = Keyboard(member)
    member.goto(draft.get_absolute_url())
    mkeys.type_into("#new-comment textarea[name=body]", "Tastatur-Kommentar.")
    mkeys.tab_to("#new-comment select[name=block_id]")
    member.keyboard.press("ArrowDown")
    mkeys.type_into("#new-comment textarea[name=suggestion_text]", "Erster Absatz, neu.")
    mkeys.tab_to("#new-comment button[type=submit]")
    member.keyboard.press("Enter")
    member.get_by_text("Tastatur-Kommentar.").first.wait_for()
    author.goto(draft.get_absolute_url())
    keys.tab_to("form[action$='/apply/'] button")
    author.keyboard.press("Enter")
    for _ in range(100):  # applied by a form post (or htmx): wait for the new revision
        author.wait_for_timeout(100)
        if "Erster Absatz, neu." in Statement.objects.get(pk=draft.pk).current_revision.body:
            break
    else:
        raise AssertionError("the suggestion was not applied")

    # (3) the coordinator opens the vote; the member votes
    coordinator = pages.new(user=cast["coordinator"])
    ckeys = Keyboard(coordinator)
    coordinator.goto(draft.get_absolute_url())
    ckeys.activate("a[href*='/transition/open_vote/']")
    ckeys.activate("main form button[type=submit]")
    assert Statement.objects.get(pk=draft.pk).state == "voting"
    member.goto(draft.get_absolute_url())
    mkeys.tab_to("#abstimmung input[type=radio]")
    member.keyboard.press("Space")
    mkeys.tab_to("#abstimmung button[type=submit]")
    member.keyboard.press("Enter")
    member.locator("#abstimmung").get_by_role("button", name=re.compile("Stimme ändern")).wait_for()
