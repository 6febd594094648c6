"""German full-text search on PostgreSQL: stemming, ranking, safe snippets, the GIN index."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from public import selectors
from tests.factories import make_statement
from tests.public.conftest import publish
from tests.realservices import require_postgres


@pytest.fixture
def papers(coordinator):
    require_postgres()
    housing = make_statement(
        state="draft",
        title="Wohnungen statt Sammelunterkünfte",
        summary="Dezentrale Unterbringung für Geflüchtete.",
        body="Die Unterbringung in Wohnungen ermöglicht Teilhabe. <script>x()</script>",
    )
    card = make_statement(
        state="draft",
        title="Bezahlkarte: Bargeldgrenze aufheben",
        summary="Die Bezahlkarte erschwert den Alltag.",
        body="Auch Wohnungssuche und Unterbringung leiden unter der Bezahlkarte.",
    )
    for statement in (housing, card):
        publish(statement, coordinator=coordinator)
    make_statement(state="consultation", title="Wohnungen im Entwurf", body="Wohnungen")
    return housing, card


def test_german_stemming_and_ranking(papers):
    housing, card = papers
    # "Wohnung" finds "Wohnungen" (German stemming); the title hit ranks first.
    results = list(selectors.search_public(selectors.public_statements(), "Wohnung"))
    assert [s.pk for s in results] == [housing.pk]
    ranked = list(selectors.search_public(selectors.public_statements(), "Unterbringung"))
    assert [s.pk for s in ranked] == [housing.pk, card.pk]  # summary (B) beats body (C)


def test_websearch_syntax(papers):
    housing, card = papers
    assert [
        s.pk
        for s in selectors.search_public(
            selectors.public_statements(), "Unterbringung -Bezahlkarte"
        )
    ] == [housing.pk]
    assert [
        s.pk
        for s in selectors.search_public(selectors.public_statements(), '"Bargeldgrenze aufheben"')
    ] == [card.pk]


def test_snippets_are_marked_and_escaped(papers):
    page = Client().get("/statements/?q=Unterbringung").content.decode()
    main = page.split("<main", 1)[1]
    assert "<mark>Unterbringung</mark>" in main
    assert "<script>x()" not in main
    assert "Wohnungen im Entwurf" not in main
    assert "2 Positionen" in main


def test_search_uses_the_gin_index(papers):
    """The index expression matches what the search builds, so the planner can use it.

    (With a handful of rows the planner prefers the state index for the full public
    query; without the state filter the only usable index is the full-text one.)
    """
    from statements.models import Statement

    qs = selectors.search_public(Statement.objects.all(), "Unterbringung")
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "statements_statement_search_gin" in plan, plan
