"""Comments carry their line range; the thread filters by line; after a revision a comment
on a paragraph that only moved shows the new numbers, one on a changed paragraph names
the earlier revision."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from discussion.models import Comment
from statements.services import TextFields, revision_save
from tests.discussion.conftest import block_ids, comment_on
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LONG = " ".join(f"Wort{i:02d}" for i in range(30))  # three lines of 80 characters
BODY = f"Erster Absatz.\n\n{LONG}\n\nDritter Absatz."


def save(statement, author, body):
    statement.refresh_from_db()
    rev = statement.current_revision
    return revision_save(
        statement_id=statement.pk,
        author=author,
        text=TextFields(title=rev.title, occasion=rev.occasion, summary=rev.summary, body=body),
        message="Änderung",
        base_revision_id=rev.pk,
    )


def thread_html(client, statement, query=""):
    html = client.get(statement.get_absolute_url() + query).content.decode()
    return html.split('id="discussion"', 1)[1]


def comment_header(html: str, pk: int) -> str:
    return html.split(f'id="comment-{pk}"', 1)[1].split("</header>", 1)[0]


def test_comment_shows_its_paragraphs_lines(paper, author, member, client_for):
    statement = paper(body=BODY)
    first, second, third = block_ids(statement)
    c = comment_on(statement, member, block_id=second)
    html = thread_html(client_for(member), statement)
    header = comment_header(html, c.pk)
    assert "2–4" in header and 'href="?line=2-4#discussion"' in header
    assert '<span class="visually-hidden">Zeilen</span>' in header
    # The paragraph's group names the lines too.
    assert "(Z.</span>" in html.split(f'id="comments-{second}"', 1)[1].split("</h3>", 1)[0]


def test_moved_paragraph_keeps_the_comment_on_its_new_lines(paper, author, member, client_for):
    statement = paper(body=BODY)
    _first, second, _third = block_ids(statement)
    c = comment_on(statement, member, block_id=second)
    save(statement, author, f"Neuer Absatz davor.\n\nNoch einer.\n\n{BODY}")
    header = comment_header(thread_html(client_for(member), statement), c.pk)
    assert "4–6" in header and "Fassung" not in header


def test_changed_paragraph_points_to_the_earlier_revision(paper, author, member, client_for):
    statement = paper(body=BODY)
    _first, second, _third = block_ids(statement)
    c = comment_on(statement, member, block_id=second)
    save(statement, author, BODY.replace("Wort05", "geändert"))
    html = thread_html(client_for(member), statement)
    header = comment_header(html, c.pk)
    assert "2–4" in header and "in Fassung 1" in header
    assert f"/statements/{statement.slug}/revisions/1/?lines=1#statement-body" in header
    assert "bezieht sich auf eine frühere Fassung" in html.split(f'id="comment-{c.pk}"', 1)[1]
    # That revision's page shows the same numbers the comment names.
    old = client_for(member).get(f"/statements/{statement.slug}/revisions/1/?lines=1")
    assert 'data-ln="4"' in old.content.decode()


def test_thread_filters_by_line_without_javascript(paper, member, client_for):
    statement = paper(body=BODY)
    first, second, third = block_ids(statement)
    on_first = comment_on(statement, member, body="Zum ersten.", block_id=first)
    on_second = comment_on(statement, member, body="Zum zweiten.", block_id=second)
    general = comment_on(statement, member, body="Allgemein.")
    client = client_for(member)

    def shown(query):
        html = thread_html(client, statement, query)
        return {
            pk for pk in (on_first.pk, on_second.pk, general.pk) if f'id="comment-{pk}"' in html
        }

    assert shown("") == {on_first.pk, on_second.pk, general.pk}
    assert shown("?line=1") == {on_first.pk}
    assert shown("?line=3") == {on_second.pk}
    assert shown("?line=1-2") == {on_first.pk, on_second.pk}
    assert shown("?line=5-9") == set()
    # Bad input: a message, the typed value kept, nothing filtered, no error page.
    response = client.get(statement.get_absolute_url() + "?line=zwölf")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="zwölf"' in html and 'aria-invalid="true"' in html
    assert all(f'id="comment-{pk}"' in html for pk in (on_first.pk, on_second.pk, general.pk))


def test_comments_on_many_revisions_cost_no_query_each(paper, author, member, client_for):
    """Comments written on ten earlier revisions: the page's query count stays fixed."""
    statement = paper(body=BODY)
    client = client_for(member)

    def count() -> int:
        client.get(statement.get_absolute_url())
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(statement.get_absolute_url()).status_code == 200
        return len(ctx.captured_queries)

    comment_on(statement, member, block_id=block_ids(statement)[1])
    baseline = count()
    people = [UserFactory() for _ in range(3)]
    for i in range(10):
        bid = block_ids(statement)[1]
        for person in people:
            Comment.objects.create(
                statement=statement,
                revision=statement.current_revision,
                author=person,
                body="x",
                body_html="<p>x</p>",
                block_id=bid,
                block_source="",
            )
        save(statement, author, BODY.replace("Wort05", f"Fassung{i}"))
    from django.core.cache import cache

    cache.clear()  # cold: the earlier revisions' ranges are counted in one query
    cold_client_queries = count()
    assert count() == baseline
    assert cold_client_queries <= baseline + 1
    html = thread_html(client, statement, "?threads=all")  # 31 threads: some folded by default
    assert len(re.findall(r"in Fassung \d+", html)) == 31  # the first comment too


def test_htmx_answer_keeps_the_readers_choice(paper, member, client_for):
    """A comment posted with htmx swaps the text in again, numbered as the page was."""
    statement = paper(body=BODY)
    url = f"/statements/{statement.slug}/comments/"
    page = "http://testserver" + statement.get_absolute_url()
    for current, numbered in ((page, True), (page + "?lines=0", False)):
        response = client_for(member).post(
            url, {"body": "Neu."}, HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL=current
        )
        html = response.content.decode()
        assert 'id="statement-body"' in html and 'hx-swap-oob="true"' in html
        assert ('data-ln="1"' in html) is numbered


def test_comment_on_selected_words_names_just_their_lines(paper, member, client_for):
    statement = paper(body=BODY)
    second = block_ids(statement)[1]
    # Line 3 is "Wort11 … Wort21"; the quote as the selection's comment form starts.
    on_words = comment_on(statement, member, body="> Wort13 Wort14\n\nWarum?", block_id=second)
    across = comment_on(statement, member, body="> Wort20 Wort21 Wort22\n\nSo.", block_id=second)
    unknown = comment_on(statement, member, body="> steht nicht da\n\nHm.", block_id=second)
    client = client_for(member)
    html = thread_html(client, statement)
    assert "</span> 3</a>" in comment_header(html, on_words.pk)
    assert "</span> 3–4</a>" in comment_header(html, across.pk)
    assert "</span> 2–4</a>" in comment_header(html, unknown.pk)  # the whole paragraph
    filtered = thread_html(client, statement, "?line=2")
    assert f'id="comment-{on_words.pk}"' not in filtered
    assert f'id="comment-{unknown.pk}"' in filtered
