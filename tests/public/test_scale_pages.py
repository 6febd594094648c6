"""Pages that do not grow with the data (issue 20): the public list by keyset with its
total counted once per public generation, the sitemap as an index of pages of at most
1,000 URLs, the members' dashboard showing the newest few per section."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.pagecache import invalidate_public_pages
from public import sitemaps
from statements.models import Statement

pytestmark = pytest.mark.django_db


def papers(count: int, *, state: str = "published", start: int = 0, **extra) -> None:
    now = timezone.now()
    Statement.objects.bulk_create(
        Statement(
            slug=f"{state}-{start + n}",
            title=f"{state} {start + n:04d}",
            body="Text.",
            state=state,
            published_at=now - timedelta(hours=start + n) if state == "published" else None,
            **extra,
        )
        for n in range(count)
    )
    invalidate_public_pages()


def queries(client: Client, url: str) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode(), [q["sql"] for q in ctx.captured_queries]


def uncached(url: str) -> tuple[str, list[str]]:
    """A first visit after a change: nothing stored for this page yet."""
    cache.clear()
    return queries(Client(), url)


def test_list_first_page_and_older_pages_cost_the_same_at_any_size():
    papers(15)
    _, small = uncached("/statements/")
    papers(300, start=100)
    page, big = uncached("/statements/")
    assert len(big) == len(small)
    older = re.search(r'rel="next" href="\?older=(\d+)"', page)[1]
    # A further page needs no count: the total is kept per public generation.
    _, deep = queries(Client(), f"/statements/?older={older}")
    assert not any("COUNT(" in q.upper() for q in deep)
    assert not any("OFFSET" in q.upper() for q in deep)
    assert len(deep) <= len(big) + 1  # + the position of the paper the page starts after


def test_keyset_pages_are_stable_while_papers_are_published():
    papers(25)
    client = Client()
    first = client.get("/statements/").content.decode()
    older = re.search(r'rel="next" href="\?older=(\d+)"', first)[1]
    before = client.get(f"/statements/?older={older}").content.decode()
    papers(3, start=-3)  # three newer papers arrive
    after = Client().get(f"/statements/?older={older}").content.decode()
    titles = re.compile(r'class="statement-title"[^>]*><a href="[^"]+">([^<]+)<')
    assert titles.findall(after) == titles.findall(before) != []
    # ... and the way back is the page just before, then the newest (plain links).
    newer = re.search(r'rel="prev" href="\?newer=(\d+)"', after)[1]
    back = Client().get(f"/statements/?newer={newer}").content.decode()
    assert titles.findall(back) == [f"published {n:04d}" for n in range(10)]
    newest = re.search(r'rel="prev" href="\?newer=(\d+)"', back)[1]
    top = Client().get(f"/statements/?newer={newest}").content.decode()
    assert titles.findall(top)[:4] == ["published -003", "published -002", "published -001"] + [
        "published 0000"
    ]


def test_sitemap_is_an_index_of_pages_with_at_most_the_limit(monkeypatch):
    monkeypatch.setattr(sitemaps.StatementSitemap, "limit", 4)
    papers(10)
    index, small = uncached("/sitemap.xml")
    locations = re.findall(r"<loc>([^<]+)</loc>", index)
    assert [loc.split("8000")[1] for loc in locations] == [
        "/sitemap-statements.xml",
        "/sitemap-statements.xml?p=2",
        "/sitemap-statements.xml?p=3",
        "/sitemap-companions.xml",
        "/sitemap-pages.xml",
    ]
    for page in ("", "?p=2", "?p=3"):
        urls = re.findall(r"<url>", Client().get(f"/sitemap-statements.xml{page}").text)
        assert 1 <= len(urls) <= 4
    assert sitemaps.SECTION_LIMIT == 1000
    papers(40, start=100)
    _, big = uncached("/sitemap.xml")
    assert len(big) == len(small)
    _, page_small = uncached("/sitemap-statements.xml?p=2")
    papers(40, start=500)
    _, page_big = uncached("/sitemap-statements.xml?p=2")
    assert len(page_big) == len(page_small)


def test_dashboard_shows_the_newest_few_per_section_at_constant_cost(member):
    client = Client()
    client.force_login(member)
    for state in ("consultation", "voting", "published"):
        papers(2, state=state)
    papers(2, state="draft", created_by=member)
    _, small = queries(client, "/dashboard/")
    for state in ("consultation", "voting", "published"):
        papers(20, state=state, start=100)
    papers(20, state="draft", created_by=member, start=100)
    page, big = queries(client, "/dashboard/")
    assert len(big) == len(small)
    assert page.count("consultation 0") == 5
    for section in ("drafts", "consultation", "decision", "published"):
        link = f'href="/dashboard/search/?section={section}"'
        assert link in page, section
    everything = client.get("/dashboard/search/?section=consultation").text
    assert "22 Papiere" in everything
