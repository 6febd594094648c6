"""Edit, detail, history and dashboard pages cost the same queries for 1 or 30 revisions
and co-authors. The count is measured on a small paper and then pinned on a big one
(other apps' panels and the header contribute too, so the number itself may change)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from statements.models import Coauthorship
from statements.services import TextFields, revision_save
from tests.factories import TopicFactory, UserFactory, make_statement

pytestmark = pytest.mark.django_db


def _grow(statement, *, revisions: int, coauthors: int, topics: int) -> None:
    people = [UserFactory() for _ in range(coauthors)]
    for person in people:
        Coauthorship.objects.create(statement=statement, user=person, added_by=statement.created_by)
    statement.topics.add(*[TopicFactory() for _ in range(topics)])
    authors = [statement.created_by, *people]
    for i in range(revisions - 1):
        statement.refresh_from_db()
        revision_save(
            statement_id=statement.pk,
            author=authors[i % len(authors)],
            text=TextFields(statement.title, statement.occasion, statement.summary, f"Text {i}"),
            message=f"Änderung {i}",
            base_revision_id=statement.current_revision_id,
        )


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["", "edit/", "history/", "coauthors/"])
@pytest.mark.parametrize("state", ["draft", "consultation"])
def test_pages_have_constant_query_count(
    page, state, author, client_for, django_assert_num_queries
):
    small = make_statement(author=author, title="Klein", state=state)
    big = make_statement(author=author, title="Groß", state=state)
    _grow(small, revisions=1, coauthors=1, topics=1)
    _grow(big, revisions=30, coauthors=30, topics=8)
    client = client_for(author)
    expected = _count(client, f"/statements/{small.slug}/{page}")
    with django_assert_num_queries(expected):
        client.get(f"/statements/{big.slug}/{page}")


def test_edit_page_queries_pinned(author, client_for, django_assert_num_queries):
    """The editor's own queries, named: session, user, statement (+ revision, creator),
    co-authors, topics of the paper, topic choices, recent editors."""
    statement = make_statement(author=author)
    _grow(statement, revisions=30, coauthors=30, topics=5)
    client = client_for(author)
    baseline = _count(client, "/dashboard/")  # session, user, header, and the lists
    edit = _count(client, f"/statements/{statement.slug}/edit/")
    assert edit <= baseline + 6


def test_dashboard_has_constant_query_count(author, client_for, django_assert_num_queries):
    make_statement(author=author)
    client = client_for(author)
    expected = _count(client, "/dashboard/")
    for i in range(15):
        make_statement(author=author, title=f"Entwurf {i}")
        make_statement(title=f"Konsultation {i}", state="consultation")
    with django_assert_num_queries(expected):
        response = client.get("/dashboard/")
    # The newest five per section, and a link to all of them (issue 20).
    assert response.content.decode().count("Entwurf ") == 5
    assert "/dashboard/search/?section=drafts" in response.content.decode()
