"""Only canonical query values reach the public page cache (issue 13).

The attack: `/statements/?topic=<random>` (or an unknown year, page 99999, a new search
spelling) answered 200 and was stored for 24 hours, one copy per variant, so a script
could grow the cache without bound. Now such URLs are rendered uncached, and equivalent
spellings of one query share one copy.
"""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from statements.models import Topic
from tests.public.test_pages import make_public

pytestmark = pytest.mark.django_db


def stored() -> list[str]:
    return [k for k in cache._cache if ":page:" in k or ":doc:" in k]


@pytest.fixture
def papers(db) -> Topic:
    """Twelve public papers of this year (two list pages), three under one topic."""
    topic = Topic.objects.create(name="Wohnen", slug="wohnen")
    for n in range(12):
        make_public(f"Position {n:02d}", n + 1, topic if n < 3 else None)
    return topic


NOT_CANONICAL = [
    "/statements/?topic=gibt-es-nicht",
    "/statements/?year=2003",  # a valid year without papers
    "/statements/?year=zwei",
    "/statements/?page=99999",  # no such page
    "/statements/?page=3",  # one past the last page
    "/statements/?topic=wohnen&page=2",  # the topic has one page only
    "/statements/?page=02",
    "/statements/?page=abc",
    "/statements/?q=" + "wort " * 30,  # longer than a search worth sharing
    "/statements/?topic=wohnen&topic=wohnen",
    "/api/statements/?topic=gibt-es-nicht",
    "/api/statements/?page=01",
    "/api/statements/?page=",
    "/sitemap-statements.xml?p=01",
    "/sitemap-statements.xml?p=0001",
    "/sitemap.xml?p=2",  # the index has one page
    "/statements/?older=999999",  # not a paper
    "/statements/?older=1&newer=2",
    "/statements/?older=01",
    "/statements/?q=Position&older=1",
]


@pytest.mark.parametrize("url", NOT_CANONICAL)
def test_a_non_canonical_query_is_answered_but_never_stored(
    papers, url, django_assert_max_num_queries
):
    client = Client()
    first = client.get(url)
    assert first.status_code in (200, 400, 404)
    assert stored() == [], url
    # ... and the next visitor gets a fresh rendering, not somebody's copy.
    with django_assert_max_num_queries(20) as ctx:
        assert client.get(url).status_code == first.status_code
    # (A search longer than allowed is refused by the form without touching the database.)
    assert len(ctx) > 0 or first.status_code != 200 or "höchstens 100 Zeichen" in first.text


def test_a_script_inventing_topics_stores_nothing(papers):
    client = Client()
    for n in range(50):
        assert client.get(f"/statements/?topic=erfunden-{n}").status_code == 200
        assert client.get(f"/api/statements/?topic=erfunden-{n}").status_code == 200
    assert stored() == []


CANONICAL = [
    "/statements/?topic=wohnen",
    f"/statements/?year={timezone.now().year}",
    "/statements/?page=2",
    "/statements/?q=Position",
    "/api/statements/?topic=wohnen",
]


@pytest.mark.parametrize("url", CANONICAL)
def test_a_canonical_query_is_stored_and_served_without_sql(papers, url, django_assert_num_queries):
    client = Client()
    assert client.get(url).status_code == 200
    assert len(stored()) == 1
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200


def test_equivalent_spellings_share_one_copy(papers, django_assert_num_queries):
    """The filter form sends every field; page 1 and the bare URL are the same page."""
    client = Client()
    client.get("/statements/?topic=wohnen")
    client.get("/statements/")
    with django_assert_num_queries(0):
        assert client.get("/statements/?q=&topic=wohnen&year=").status_code == 200
        assert client.get("/statements/?year=&topic=wohnen").status_code == 200
        assert client.get("/statements/?page=1").status_code == 200
        assert client.get("/statements/?q=&topic=&year=").status_code == 200
    assert len(stored()) == 2


def test_a_search_is_stored_in_its_normalised_spelling(papers, django_assert_num_queries):
    client = Client()
    page = client.get("/statements/?q=%20Position%20%2001%20").content.decode()
    assert 'value="Position 01"' in page
    with django_assert_num_queries(0):
        assert client.get("/statements/?q=Position+01").status_code == 200
    assert len(stored()) == 1


def test_a_cached_list_page_links_to_its_neighbours(papers):
    client = Client()
    client.get("/statements/?q=&topic=&year=&page=2")  # stored as ?page=2
    page = Client().get("/statements/?page=2").content.decode()
    newest = re.search(r'rel="prev" href="\?newer=(\d+)"', page)
    assert newest and Client().get(f"/statements/?newer={newest[1]}").status_code == 200
