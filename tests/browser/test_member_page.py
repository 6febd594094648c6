"""Issues 16 and 20 in Chromium: the member page with a long discussion folded (the rest
on demand, JavaScript on and off), the one reply form, axe-core clean at 1280 and 360 px;
screenshots in var/screenshots/issue16/ (RTM_SCREENSHOT_TAG names them, default "after")."""

from __future__ import annotations

import os

import pytest

from discussion.panels import REPLIES_SHOWN, THREADS_SHOWN
from tests.browser.conftest import DESKTOP, PHONE, SCREENSHOTS
from tests.factories import UserFactory, make_statement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOLDER = SCREENSHOTS / "issue16"
BODY = "\n\n".join(
    f"Absatz {i}: Der Landkreis soll die Bargeldgrenze der Bezahlkarte aufheben und "
    "Beratung vor Ort anbieten, damit Menschen ihren Alltag selbst gestalten können."
    for i in range(8)
)


@pytest.fixture
def paper(db):
    from discussion.services import comment_create, comment_reply
    from statements.markdown import blocks

    author = UserFactory(display_name="Amira Autorin")
    reader = UserFactory(display_name="Lena Mitglied")
    statement = make_statement(author=author, state="consultation", body=BODY)
    ids = [b.id for b in blocks(statement.current_revision.body)]
    roots = [
        comment_create(
            statement=statement,
            author=reader if i % 2 else author,
            body=f"Thread {i}: bitte genauer formulieren.",
            block_id=ids[i % len(ids)],
        )
        for i in range(THREADS_SHOWN + 2)
    ]
    for i in range(REPLIES_SHOWN + 2):
        comment_reply(parent=roots[-1], author=author, body=f"Antwort {i}: einverstanden.")
    return {"author": author, "reader": reader, "statement": statement, "roots": roots}


@pytest.mark.parametrize("javascript", [True, False])
def test_folded_discussion_loads_on_demand(pages, paper, javascript):
    statement, roots = paper["statement"], paper["roots"]
    page = pages.new(user=paper["reader"], javascript=javascript)
    page.goto(statement.get_absolute_url())
    discussion = page.locator("#discussion")
    assert discussion.locator(".thread").count() == THREADS_SHOWN
    assert "Thread 0:" not in discussion.inner_text()
    page.get_by_role("link", name="2 frühere Antworten anzeigen").click()
    page.locator("#discussion", has_text="Antwort 0:").wait_for()
    assert page.get_by_role("link", name="2 frühere Antworten anzeigen").count() == 0
    page.get_by_role("link", name="Alle Threads anzeigen").click()
    page.locator("#discussion", has_text="Thread 0:").wait_for()
    assert page.locator("#discussion .thread").count() == THREADS_SHOWN + 2
    # The one reply form: opened under the thread asked for, the answer lands there.
    thread = page.locator(f"#thread-{roots[3].pk}")
    thread.get_by_role("link", name="Antworten").click()
    field = page.locator(f"#reply-{roots[3].pk}")
    field.fill("Meine Antwort unter Thread 3.")
    page.locator(f"#thread-{roots[3].pk}").get_by_role("button", name="Antworten").click()
    page.locator(f"#thread-{roots[3].pk}", has_text="Meine Antwort unter Thread 3.").wait_for()
    assert page.locator("textarea[name=body][id^=reply-]").count() == 0


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "360"])
def test_member_page_is_accessible_and_pictured(pages, check_a11y, paper, viewport):
    page = pages.new(user=paper["reader"], viewport=viewport)
    page.goto(paper["statement"].get_absolute_url())
    check_a11y(page, f"member page at {viewport['width']} px")
    tag = os.environ.get("RTM_SCREENSHOT_TAG", "after")
    FOLDER.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(FOLDER / f"member-page-{tag}-{viewport['width']}.png"))
    page.screenshot(
        path=str(FOLDER / f"member-page-{tag}-{viewport['width']}-full.png"), full_page=True
    )


@pytest.mark.parametrize("javascript", [True, False])
def test_step_indicator_and_the_text_on_the_first_screen(pages, paper, javascript):
    for viewport in (DESKTOP, PHONE):
        page = pages.new(user=paper["reader"], viewport=viewport, javascript=javascript)
        page.goto(paper["statement"].get_absolute_url())
        current = page.locator(".steps [aria-current=step]")
        assert current.count() == 1
        text = current.inner_text()
        assert "Konsultation" in text and "Konsultation endet" in text
        labels = page.locator(".steps li").all_inner_texts()
        assert [label.split()[0] for label in labels] == [
            "Entwurf",
            "Konsultation",
            "Abstimmung",
            "Entscheidung",
            "Veröffentlichung",
        ]
        # The text starts within the first screen; the folded panels open on demand.
        top = page.locator("#statement-body").bounding_box()["y"]
        assert top < viewport["height"] - 60, (viewport, top)
        details = page.locator("details.fold-details")
        assert details.get_attribute("open") is None
        details.locator("summary").click()
        assert details.get_by_text("Amira Autorin").first.is_visible()


def test_public_view_link_once_published(pages, paper):
    from tests.discussion.conftest import move_to

    statement = move_to(paper["statement"], "published")
    page = pages.new(user=paper["reader"])
    page.goto(statement.get_absolute_url())
    assert page.locator(".steps [aria-current=step]").inner_text().startswith("Veröffentlichung")
    page.get_by_role("link", name="Öffentliche Ansicht").click()
    page.wait_for_url("**view=public")
    assert page.locator("#discussion").count() == 0
    assert page.locator("h1").inner_text() == statement.title


@pytest.mark.parametrize("javascript", [True, False])
def test_commenting_under_a_paragraph_on_a_phone(pages, check_a11y, paper, javascript):
    from statements.markdown import blocks

    statement = paper["statement"]
    ids = [b.id for b in blocks(statement.current_revision.body)]
    page = pages.new(user=paper["reader"], viewport=PHONE, javascript=javascript)
    page.goto(statement.get_absolute_url())
    page.locator(f"#{ids[2]} + .block-comments").get_by_role("link", name="Kommentieren").click()
    form = page.locator("#new-comment")
    form.wait_for()
    # Right under its paragraph, on screen: no jump to the bottom, no paragraph drop-down.
    below = page.locator(f"#{ids[2]}").bounding_box()
    box = form.bounding_box()
    assert below["y"] < box["y"] < page.locator(f"#{ids[3]}").bounding_box()["y"]
    assert -1 <= box["y"] < PHONE["height"]  # scrolled to its anchor (sub-pixel rounding)
    assert form.locator("select").count() == 0
    if javascript:  # axe runs as a script
        check_a11y(page, "comment form under a paragraph, 360 px")
    FOLDER.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(FOLDER / f"comment-under-paragraph-360-js-{javascript}.png"))
    form.get_by_label("Kommentar", exact=True).fill("Hier fehlt ein Beispiel aus Grimma.")
    form.get_by_role("button", name="Kommentieren").click()
    status = page.locator("[role=status]", has_text="Kommentar wurde gespeichert")
    status.wait_for()
    comment = page.locator(".comment", has_text="Hier fehlt ein Beispiel aus Grimma.")
    comment.wait_for()
    assert comment.is_visible()
    assert comment.locator("xpath=ancestor::section[1]").get_attribute("id") == f"comments-{ids[2]}"


def test_tap_targets_are_at_least_24_px(pages, paper):
    """WCAG 2.5.8 on the member page: every link, button and summary is ≥ 24 px tall
    (or, for links inside running text, exempt as inline)."""
    for viewport in (DESKTOP, PHONE):
        page = pages.new(user=paper["author"], viewport=viewport)
        page.goto(paper["statement"].get_absolute_url())
        small = page.evaluate(
            """() => [...document.querySelectorAll(
                '.member-page a, .member-page button, .member-page summary')]
              .filter(e => e.offsetParent !== null)
              .filter(e => !e.closest('.prose p, .prose li, .comment-body, .hint'))
              .filter(e => e.getBoundingClientRect().height < 24)
              .map(e => e.outerHTML.slice(0, 120))"""
        )
        assert not small, (viewport, small)
