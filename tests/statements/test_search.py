"""Search that scales (issue 20): the stored search vector, its GIN index, headlines only
for the page shown, a statement timeout, bounded queries, a rate limit for uncached
searches, and the members' search that never finds a paper the member may not see."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from statements import search
from statements.models import Statement
from statements.permissions import can_view, viewable_q
from tests.factories import make_statement
from tests.realservices import require_postgres
from tests.statements.test_permission_table import ROLES, SITUATIONS, paper_in, people

pytestmark = pytest.mark.django_db
__all__ = ["paper_in", "people"]  # fixtures used below


def bulk_public(count: int, *, word: str = "Unterbringung", start: int = 0) -> list[Statement]:
    """`count` published papers mentioning `word` in the body, newest first by index."""
    now = timezone.now()
    rows = [
        Statement(
            slug=f"papier-{start + n}",
            title=f"Papier {start + n}",
            summary="Eine Zusammenfassung.",
            body=f"Absatz eins.\n\nHier steht {word} im Text von Papier {start + n}.",
            state="published",
            published_at=now - timedelta(hours=start + n),
        )
        for n in range(count)
    ]
    return Statement.objects.bulk_create(rows)


def search_page(url: str, client: Client | None = None):
    with CaptureQueriesContext(connection) as ctx:
        response = (client or Client()).get(url)
    return response, [q["sql"] for q in ctx.captured_queries]


# --- PostgreSQL: the stored vector and its index ---------------------------------------


def test_ranking_title_before_summary_before_body():
    require_postgres()
    body = make_statement(state="draft", title="Eins", summary="Nichts.", body="Wohnungen fehlen.")
    summary = make_statement(state="draft", title="Zwei", summary="Wohnungen fehlen.", body="x")
    title = make_statement(state="draft", title="Wohnungen statt Lager", summary="a", body="b")
    found = list(search.matching(Statement.objects.all(), "Wohnung"))
    assert [s.pk for s in found] == [title.pk, summary.pk, body.pk]
    sql = str(search.matching(Statement.objects.all(), "Wohnung").query)
    # Ranked and matched on the stored column: no to_tsvector of the text per row.
    assert '"search_document"' in sql and "to_tsvector" not in sql


def test_the_plan_uses_the_gin_index_on_the_stored_column():
    require_postgres()
    bulk_public(200, word="Sammelunterkunft")
    bulk_public(3, start=500)  # the only papers with the word searched for
    # (At this size the planner may prefer the state or date index for the public
    # filter; unfiltered, the GIN index is the only one that fits, so it must be usable.)
    qs = search.matching(Statement.objects.all(), "Unterbringung")
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE statements_statement")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert search.DOCUMENT_INDEX in plan, plan


def test_headlines_only_for_the_rows_on_the_page_and_queries_do_not_grow():
    require_postgres()
    bulk_public(12)
    Client().get("/statements/")  # the filters' topics and years, once per generation
    small, small_sql = search_page("/statements/?q=Unterbringung")
    assert small.status_code == 200
    assert small.text.count("<mark>Unterbringung</mark>") == 10  # one page of ten
    headline_queries = [q for q in small_sql if "ts_headline" in q]
    assert len(headline_queries) == 1
    # The headline query names exactly the ten papers shown, nothing else scans bodies.
    assert headline_queries[0].count("%s") == 0 and headline_queries[0].count(",") >= 9
    bulk_public(40, start=100)
    big, big_sql = search_page("/statements/?q=Unterbringung&page=2")
    assert big.status_code == 200
    assert len(big_sql) == len(small_sql)
    assert len([q for q in big_sql if "ts_headline" in q]) == 1


def test_every_search_runs_under_the_statement_timeout(settings):
    require_postgres()
    bulk_public(3)
    _, sql = search_page("/statements/?q=Unterbringung")
    limit = [n for n, q in enumerate(sql) if "set_config('statement_timeout'" in q]
    searching = [n for n, q in enumerate(sql) if "search_document" in q or "ts_headline" in q]
    assert limit and searching and limit[0] < min(searching)
    settings.RTM_SEARCH_TIMEOUT_MS = 50
    with pytest.raises(search.SearchTooSlow):
        with search.search_timeout():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_sleep(1)")
    # The limit never outlives the search (here inside the test's transaction).
    with search.search_timeout():
        pass
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"


def test_a_search_over_the_timeout_says_so_and_keeps_the_words(settings, monkeypatch):
    require_postgres()
    bulk_public(3)
    settings.RTM_SEARCH_TIMEOUT_MS = 50

    def slow(statements, query):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(1)")

    monkeypatch.setattr(search, "attach_headlines", slow)
    monkeypatch.setattr("public.selectors.attach_headlines", slow)
    response = Client().get("/statements/?q=Unterbringung")
    assert response.status_code == 503
    assert "zu lange gedauert" in response.text
    assert 'value="Unterbringung"' in response.text


# --- any database ----------------------------------------------------------------------


def test_a_long_search_is_refused_with_a_message_and_keeps_the_text():
    words = "Unterbringung " * 10
    response, sql = search_page("/statements/?q=" + words.strip())
    assert "höchstens 100 Zeichen" in response.text
    assert f'value="{words.strip()}"' in response.text
    assert not any("search_document" in q or "LIKE" in q for q in sql)


def test_uncached_searches_are_rate_limited_cached_ones_are_not(settings):
    settings.RTM_RATE_LIMITS = {**settings.RTM_RATE_LIMITS, "search": "3/h"}
    bulk_public(2)
    client = Client()
    for _ in range(5):  # the same search: one miss, then cache hits
        assert client.get("/statements/?q=Unterbringung").status_code == 200
    assert client.get("/statements/?q=Papier").status_code == 200
    assert client.get("/statements/?q=Absatz").status_code == 200
    refused = client.get("/statements/?q=eins")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "Zu viele Suchanfragen" in refused.text
    assert 'value="eins"' in refused.text


# --- the members' search -----------------------------------------------------------------


def test_viewable_q_is_can_view_row_by_row(people, paper_in):
    wrong = {}
    for label, state, withdrawn_from in SITUATIONS:
        paper = paper_in(state, withdrawn_from)
        for role in ROLES:
            user = people[role]
            listed = Statement.objects.filter(viewable_q(user), pk=paper.pk).exists()
            if listed != can_view(user, paper):
                wrong[label, role] = listed
    assert not wrong


def test_members_search_never_finds_a_paper_the_member_may_not_see(member, author, coordinator):
    canary = "Kanarienvogel"
    others_draft = make_statement(author=author, title=f"{canary} im Entwurf", body=canary)
    withdrawn = make_statement(author=author, title=f"{canary} zurückgezogen", state="withdrawn")
    consultation = make_statement(
        author=author, title=f"{canary} zur Beratung", state="consultation"
    )
    own_draft = make_statement(author=member, title=f"{canary} mein Entwurf")
    client = Client()
    client.force_login(member)
    page = client.get(f"/dashboard/search/?q={canary}").text
    assert consultation.title in page and own_draft.title in page
    assert others_draft.title not in page and withdrawn.title not in page
    # Nor through the section lists ("alle anzeigen").
    for section in ("", "drafts", "consultation", "decision", "published"):
        listing = client.get(f"/dashboard/search/?section={section}").text
        assert others_draft.title not in listing and withdrawn.title not in listing
    client.force_login(coordinator)
    page = client.get(f"/dashboard/search/?q={canary}").text
    assert others_draft.title in page and withdrawn.title in page
    assert AnonymousUser().is_authenticated is False
    assert Client().get(f"/dashboard/search/?q={canary}").status_code == 302


def test_a_search_counts_its_matches_only_up_to_the_cap(monkeypatch):
    monkeypatch.setattr(search, "COUNT_CAP", 3)
    bulk_public(12)
    response, sql = search_page("/statements/?q=Unterbringung")
    assert "Mehr als 3 Positionen" in response.text, response.text.split("<main", 1)[1][:1500]
    assert response.text.count('class="statement-title"') == 10  # the page is still full
    counts = [q for q in sql if "COUNT(" in q.upper()]
    assert len(counts) == 1 and "LIMIT 4" in counts[0]
    assert "ts_rank" not in counts[0]  # counted without ranking
    exact = search_page("/statements/?q=Papier+11")[0].text
    assert "Mehr als" not in exact
