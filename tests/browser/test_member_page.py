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
