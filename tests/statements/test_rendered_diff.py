"""Rendered diffs (issue 15, item 3): formatted text with insertions and deletions
marked by <ins>/<del>, a hidden label for screen readers and underline/strike-through
(not colour alone), the Markdown source one click away without JavaScript, and
counts in proper plural forms."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from discussion.services import comment_create
from statements import markdown
from statements.models import Revision
from statements.services import TextFields, revision_save
from tests.factories import UserFactory, make_statement

OLD = "## Ziele\n\nWir fordern *faire* Verfahren.\n\n- Sprachkurse\n- Beratung\n"
NEW = "## Unsere Ziele\n\nWir fordern **schnelle** Verfahren.\n\n- Sprachkurse\n"


def _save(statement, author, body: str) -> Revision:
    statement.refresh_from_db()
    return revision_save(
        statement_id=statement.pk,
        author=author,
        text=TextFields(statement.title, statement.occasion, statement.summary, body),
        message="",
        base_revision_id=statement.current_revision_id,
    )


def _rendered(page: str) -> str:
    start = page.index('class="diff diff-rendered prose"')
    return page[start : page.index("</div>", start)]


def test_compare_view_shows_the_formatted_text_with_changes_marked(author, client_for):
    statement = make_statement(author=author, body=OLD)
    _save(statement, author, NEW)
    page = client_for(author).get(statement.get_absolute_url() + "diff/1/2/").content.decode()
    rendered = _rendered(page)
    # Formatted: a heading, emphasis and a list, not Markdown source.
    assert re.search(
        r"<h2><ins><span class=\"visually-hidden\">\[eingefügt:\] </span>Unsere", rendered
    )
    assert "<strong><ins" in rendered and "schnelle" in rendered
    assert "<del>" in rendered and "faire" in rendered and "Beratung" in rendered
    assert "<li>Sprachkurse</li>" in rendered
    assert "##" not in rendered and "**" not in rendered
    assert ' id="' not in rendered  # the page's ids stay unique
    # The source diff is one click away, without JavaScript.
    assert re.search(r'<details class="diff-source">\s*<summary>Quelltext-Vergleich', page)
    source = page[page.index('class="diff-source"') :]
    assert "## " in source and "schnelle" in source  # the Markdown itself


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", "2 Wörter eingefügt, 1 Wort gelöscht"),
        ("en", "2 words inserted, 1 word deleted"),
    ],
)
def test_counts_use_plural_forms(author, language, expected):
    author.language = language
    author.save()
    statement = make_statement(author=author, body="Eins zwei drei.")
    _save(statement, author, "Eins vier fünf drei.")
    client = Client()
    client.force_login(author)
    client.cookies["django_language"] = language
    page = client.get(statement.get_absolute_url() + "diff/1/2/").content.decode()
    # Body: "zwei" → "vier fünf" (the title is unchanged).
    assert expected in page


def test_a_suggestion_shows_its_change_formatted_with_the_source_in_details(author, client_for):
    member = UserFactory(display_name="Mia Mitglied")
    statement = make_statement(author=author, state="consultation", body=OLD)
    block = markdown.blocks(statement.current_revision.body)[1]
    suggestion = comment_create(
        statement=statement,
        author=member,
        body="Deutlicher.",
        block_id=block.id,
        suggestion_text="Wir fordern **schnelle** Verfahren <script>alert(1)</script>.",
    )
    page = client_for(author).get(statement.get_absolute_url()).content.decode()
    article = page[page.index(f'id="comment-{suggestion.pk}"') :]
    rendered = _rendered(article)
    assert "<strong><ins" in rendered
    assert "<del>" in rendered and "faire" in rendered
    assert "<script>" not in rendered and "&lt;script&gt;" in rendered
    source = article[article.index('<details class="diff-source">') :]
    assert source.index("<summary>Quelltext zeigen</summary>") < source.index("schnelle")
    assert "Wir fordern *" in source  # Markdown, not formatted


def test_the_conflict_page_shows_theirs_to_mine_formatted(author, coauthor, client_for, edit_data):
    statement = make_statement(author=author, coauthors=[coauthor], body="Ein *Satz* hier.")
    stale = edit_data(statement, body="Ein *Satz* dort.")
    _save(statement, coauthor, "Ein *Satz* da.")
    response = client_for(author).post(f"/statements/{statement.slug}/edit/", stale)
    assert response.status_code == 409
    rendered = _rendered(response.content.decode())
    assert "<em>Satz</em>" in rendered
    assert re.search(r"<del>.*da.*</del><ins>.*dort.*</ins>", rendered)
