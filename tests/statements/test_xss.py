"""Hostile text in title, occasion, summary and body renders inert on every page."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from statements.markdown import render, sanitise
from statements.models import Revision
from statements.services import TextFields, revision_save
from tests.factories import make_statement
from tests.xss_corpus import XSS_CORPUS, assert_inert

pytestmark = pytest.mark.django_db


def test_corpus_is_big_enough():
    assert len(XSS_CORPUS) >= 50
    assert len(set(XSS_CORPUS)) == len(XSS_CORPUS)


@pytest.mark.parametrize("source", XSS_CORPUS)
def test_rendered_markdown_is_inert_and_stable_under_sanitise(source):
    html = render(source)
    assert_inert(html, page=False)
    assert sanitise(html) == html


@pytest.mark.parametrize("index", range(len(XSS_CORPUS)))
def test_every_page_shows_hostile_text_inert(index, author, coauthor, client_for, edit_data):
    hostile = XSS_CORPUS[index]
    statement = make_statement(
        author=author,
        coauthors=[coauthor],
        title=hostile[:200],
        occasion=hostile[:300],
        summary=hostile,
        body=hostile,
    )
    base = statement.current_revision_id
    revision_save(
        statement_id=statement.pk,
        author=coauthor,
        text=TextFields(statement.title, statement.occasion, "Harmlos. " + hostile, hostile * 2),
        message=hostile[:300],
        base_revision_id=base,
    )
    client = client_for(author)
    slug = statement.slug
    pages = [
        client.get(f"/statements/{slug}/"),
        client.get(f"/statements/{slug}/edit/"),
        client.get(f"/statements/{slug}/history/"),
        client.get(f"/statements/{slug}/revisions/1/"),
        client.get(f"/statements/{slug}/diff/1/2/"),
        client.get("/dashboard/"),
        # Preview without JavaScript re-renders the whole form.
        client.post(f"/statements/{slug}/edit/", edit_data(statement, body=hostile, preview="1")),
        # Saving on the outdated base shows the conflict page with both texts (the
        # summaries overlap for sure; the bodies do where the merge cannot separate them).
        client.post(
            f"/statements/{slug}/edit/",
            edit_data(
                statement,
                body="Anders: " + hostile + "!",
                summary="Anders. " + hostile,
                title=hostile[:200],
                base_revision=base,
            ),
        ),
    ]
    assert [p.status_code for p in pages] == [200] * 7 + [409]
    for page in pages:
        assert_inert(page.content.decode(), page=True)
    partial = client.post(f"/statements/{slug}/preview/", {"body": hostile})
    assert partial.status_code == 200
    assert_inert(partial.content.decode(), page=False)
    for revision in Revision.objects.filter(statement=statement):
        assert sanitise(revision.body_html) == revision.body_html


PIECES = list("abc <>\"'=/:;&#()[]!*_`|-\n\t\\") + [
    "javascript:",
    "data:",
    "onerror=",
    "<script>",
    "<svg ",
    "http://x.org",
    "&#106;",
    "[a](",
    "![",
    "<a href=",
    "#h-",
    "| --- |",
]
MARKDOWNISH = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MARKDOWNISH)
def test_property_any_text_renders_inert_and_sanitise_is_a_fixed_point(source):
    html = render(source)
    assert_inert(html, page=False)
    assert sanitise(html) == html


def test_published_paper_with_the_whole_corpus_is_inert_for_readers(author, member, client_for):
    """The public reading page (public app) and the members' page of a published paper."""
    statement = make_statement(
        author=author,
        title=XSS_CORPUS[4][:200],
        occasion=XSS_CORPUS[10],
        summary="\n".join(XSS_CORPUS),
        body="\n\n".join(XSS_CORPUS),
        state="published",
    )
    for client in (client_for(None), client_for(member)):
        response = client.get(f"/statements/{statement.slug}/")
        assert response.status_code == 200
        assert_inert(response.content.decode(), page=True)
    assert sanitise(statement.current_revision.body_html) == statement.current_revision.body_html
