"""Comment on selected words: the form is pre-filled from ?block=…&quote=… (the links
selection.js builds); without a quote the per-paragraph links work as before."""

from __future__ import annotations

from html import unescape
from urllib.parse import urlencode

import pytest

from discussion.selection import clean_quote, find_in_source
from tests.discussion.conftest import block_ids

pytestmark = pytest.mark.django_db

BODY = "Erster Absatz.\n\nDie **Bezahlkarte** schränkt\nMenschen im Alltag ein.\n\nDritter Absatz."


def form_html(client, statement, **params) -> str:
    url = statement.get_absolute_url() + "?" + urlencode(params)
    html = client.get(url).content.decode()
    return html.split('id="new-comment"', 1)[1]


def test_comment_form_starts_with_the_selection_as_a_quote(paper, member, client_for):
    statement = paper(body=BODY)
    second = block_ids(statement)[1]
    html = form_html(client_for(member), statement, block=second, quote="schränkt Menschen")
    body = unescape(html.split('name="body"', 1)[1].split(">", 1)[1].split("</textarea>", 1)[0])
    assert body.strip() == "> schränkt Menschen"
    assert f'name="block_id" id="comment-block_id" value="{second}"' in html


def test_suggestion_form_marks_the_selection_in_the_paragraph(paper, author, client_for):
    statement = paper(body=BODY)
    second = block_ids(statement)[1]
    html = form_html(
        client_for(author),
        statement,
        block=second,
        suggest=1,
        quote="Bezahlkarte schränkt Menschen",
    )
    textarea = html.split('name="suggestion_text"', 1)[1].split("</textarea>", 1)[0]
    source = "Die **Bezahlkarte** schränkt\nMenschen im Alltag ein."
    assert unescape(textarea.split(">", 1)[1]).strip() == source
    start = int(textarea.split('data-select-start="', 1)[1].split('"', 1)[0])
    end = int(textarea.split('data-select-end="', 1)[1].split('"', 1)[0])
    assert source[start:end] == "Bezahlkarte** schränkt\nMenschen"
    assert "Markiert ist die ausgewählte Stelle" in unescape(html)


def test_without_quote_the_paragraph_links_work_as_before(paper, author, client_for):
    statement = paper(body=BODY)
    second = block_ids(statement)[1]
    html = form_html(client_for(author), statement, block=second, suggest=1)
    assert "data-select-start" not in html
    assert "Menschen im Alltag" in html


def test_a_quote_cannot_inject_markup(paper, member, client_for):
    statement = paper(body=BODY)
    second = block_ids(statement)[1]
    html = form_html(
        client_for(member), statement, block=second, quote='"><script>alert(1)</script>'
    )
    assert "<script>alert(1)" not in html


def test_quote_cleaning_and_search():
    assert clean_quote("  a\u202e b \n\n c ") == "a b c"
    assert len(clean_quote("x" * 5000)) == 500
    assert find_in_source("Ein *schönes* Wort", "schönes Wort") == (5, 18)
    assert find_in_source("Ein Wort", "fehlt") is None
