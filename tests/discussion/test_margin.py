"""Issue 16, item 3: beside each paragraph, at desktop widths, the open threads are named
(author's initials and name, first line, a link to the thread), not only counted; in the
same number of SQL queries however many comments and paragraphs there are."""

from __future__ import annotations

import re

import pytest

from discussion.models import Comment
from discussion.panels import MARGIN_THREADS, THREADS_SHOWN, first_line
from discussion.services import comment_create, comment_hide, comment_reply, comment_resolve
from statements import markdown
from tests.discussion.test_queries import BODY, count_page, fill
from tests.factories import UserFactory, make_statement

pytestmark = pytest.mark.django_db


def margin_of(html: str, block_id: str) -> str:
    """The margin cell that follows the paragraph `block_id`."""
    start = html.index(f'id="{block_id}"')
    cell = html.index('<div class="block-comments">', start)
    return html[cell : html.index("</div>", cell)]


@pytest.fixture
def paper(author, coauthor):
    return make_statement(
        author=author, coauthors=[coauthor], state="consultation", body=BODY, title="Rand"
    )


def blocks_of(statement) -> list[str]:
    return [b.id for b in markdown.blocks(statement.current_revision.body)]


def test_open_threads_are_named_beside_their_paragraph(paper, member, author, client_for):
    ids = blocks_of(paper)
    quoted = comment_create(
        statement=paper,
        author=member,
        body="> die Bezahlkarte\n\nWarum **nur** hier? Zweite Zeile.",
        block_id=ids[0],
    )
    comment_reply(parent=quoted, author=author, body="Weil es so beschlossen wurde.")
    resolved = comment_create(statement=paper, author=author, body="Erledigt.", block_id=ids[0])
    comment_resolve(comment=resolved, actor=author)
    html = client_for(member).get(paper.get_absolute_url()).content.decode()
    cell = margin_of(html, ids[0])
    assert "3 Kommentare" in cell  # the count keeps counting every comment, resolved too
    items = re.findall(r"<li>.*?</li>", cell)
    assert len(items) == 1
    assert '<span class="avatar avatar-' in items[0] and 'aria-hidden="true">MM</span>' in items[0]
    assert "Mia Mitglied" in items[0] and "Warum nur hier? Zweite Zeile." in items[0]
    assert "Bezahlkarte" not in items[0] and "Erledigt" not in cell
    assert f'href="#thread-{quoted.pk}"' in items[0]
    # A paragraph without open threads gets no list.
    assert "margin-threads" not in margin_of(html, ids[1])


def test_only_the_newest_open_threads_and_a_folded_one_is_unfolded_by_its_link(
    paper, member, client_for
):
    ids = blocks_of(paper)
    roots = [
        comment_create(statement=paper, author=member, body=f"Faden {i}", block_id=ids[2])
        for i in range(MARGIN_THREADS + 1)
    ]
    # Enough newer threads elsewhere to fold the paragraph's threads out of the panel.
    for i in range(THREADS_SHOWN):
        comment_create(statement=paper, author=member, body=f"Anderswo {i}", block_id=ids[5])
    html = client_for(member).get(paper.get_absolute_url()).content.decode()
    cell = margin_of(html, ids[2])
    assert "Faden 0" not in cell
    assert all(f"Faden {i}" in cell for i in range(1, MARGIN_THREADS + 1))
    assert f'href="?thread={roots[-1].pk}#thread-{roots[-1].pk}"' in cell
    unfolded = client_for(member).get(f"{paper.get_absolute_url()}?thread={roots[-1].pk}")
    assert f'id="thread-{roots[-1].pk}"' in unfolded.content.decode()


def test_hidden_text_stays_hidden_in_the_margin(paper, member, coordinator, client_for):
    ids = blocks_of(paper)
    comment = comment_create(
        statement=paper, author=member, body="Beleidigender Satz.", block_id=ids[3]
    )
    comment_hide(comment=comment, actor=coordinator, reason="Ton")
    reader = UserFactory(display_name="Lea Leserin")
    html = client_for(reader).get(paper.get_absolute_url()).content.decode()
    assert "Beleidigender Satz." not in html
    # The coordination still reads it, beside the paragraph too.
    html = client_for(coordinator).get(paper.get_absolute_url()).content.decode()
    assert "Beleidigender Satz." in margin_of(html, ids[3])


def test_margin_costs_no_query(author, coauthor, member, coordinator, client_for):
    """3 and 300 comments on 40 paragraphs: the same queries, with the margin named."""
    people = [member, author, coauthor, coordinator] + [UserFactory() for _ in range(4)]
    small, large = (
        make_statement(author=author, coauthors=[coauthor], state="consultation", body=BODY)
        for _ in range(2)
    )
    fill(small, people, 3)
    fill(large, people, 300)
    for user in (member, coordinator):
        client = client_for(user)
        fixed = count_page(client, small)
        assert count_page(client, large) == fixed
        html = client.get(large.get_absolute_url()).content.decode()
        named = html.count('<ul class="margin-threads"')
        assert 20 <= named <= 40, named  # most paragraphs have open threads
        assert html.count('<li><a href="#thread-') + html.count('<li><a href="?thread=') <= (
            40 * MARGIN_THREADS
        )
    assert Comment.objects.filter(statement=large).count() == 300


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ("Ganz einfach.", "Ganz einfach."),
        ("> Zitat\n\nMeine Frage?", "Meine Frage?"),
        ("> nur ein Zitat", "nur ein Zitat"),
        ("## Titel\n\nText", "Titel"),
        ("- **fett** und _kursiv_ `code`", "fett und kursiv code"),
        ("1. Erstens", "Erstens"),
        ("x" * 200, "x" * 89 + "…"),
        ("", ""),
    ],
)
def test_first_line(body, line):
    assert first_line(body) == line
