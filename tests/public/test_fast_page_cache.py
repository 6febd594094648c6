"""The early anonymous page cache (public/middleware.py, issue 20).

A cached public page is answered before session, auth and messages for a request
that can only be anonymous. What a reader or an attacker would notice if it were wrong:
a signed-in person served the anonymous copy, a page in the wrong language, a CSRF
token shared between visitors (or one that does not work), missing security headers.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client

from core.pagecache import generation
from tests.public.conftest import client_in

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# What the full stack sends with a cached anonymous page; the fast path must send the same.
SAME_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Vary",
    "ETag",
    "Last-Modified",
    "Cache-Control",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Content-Security-Policy",
)


def _fast(response) -> bool:
    return getattr(response.wsgi_request, "public_fast_hit", False)


def _url(statement) -> str:
    return f"/statements/{statement.slug}/"


@pytest.fixture
def warm(published):
    """The paper's public page, stored by one anonymous visit."""
    first = Client().get(_url(published))
    assert first.status_code == 200
    assert not _fast(first)
    return published


def test_second_anonymous_visit_is_served_early_with_the_same_headers(
    warm, django_assert_num_queries
):
    # A full-stack hit: the reader sent a session cookie (nothing in it), so the early
    # path stands aside; compare its headers with an early hit's.
    full_client = Client()
    full_client.cookies[settings.SESSION_COOKIE_NAME] = "nothing-here"
    full = full_client.get(_url(warm))
    assert full.status_code == 200 and not _fast(full)
    with django_assert_num_queries(0):
        fast = Client().get(_url(warm))
    assert fast.status_code == 200 and _fast(fast)
    for name in SAME_HEADERS:
        assert fast.get(name) == full.get(name), name
    assert "Bargeldgrenze" in fast.content.decode()
    assert int(fast["Content-Length"]) == len(fast.content)


def test_signed_in_member_never_gets_the_anonymous_copy(warm, client_for, member):
    client = client_for(member)
    response = client.get(_url(warm))
    assert response.status_code == 200
    assert not _fast(response)
    assert "Abmelden" in response.content.decode()
    # And the anonymous copy stays anonymous afterwards.
    anonymous = Client().get(_url(warm))
    assert _fast(anonymous)
    assert "Abmelden" not in anonymous.content.decode()


def test_languages_are_kept_apart(warm):
    german = Client().get(_url(warm))
    assert _fast(german)
    assert german["Content-Language"] == "de"
    # English by the switch's cookie: rendered once, then early from its own copy.
    for expect_fast in (False, True):
        english = client_in("en").get(_url(warm))
        assert english["Content-Language"] == "en"
        assert '<html lang="en"' in english.content.decode()
        assert _fast(english) is expect_fast
    # English by the browser's Accept-Language shares the English copy.
    by_browser = Client().get(_url(warm), HTTP_ACCEPT_LANGUAGE="en")
    assert _fast(by_browser) and by_browser["Content-Language"] == "en"
    assert "Accept-Language" in by_browser["Vary"] and "Cookie" in by_browser["Vary"]
    # The cookie wins over the browser, as through the full stack.
    german_again = client_in("de").get(_url(warm), HTTP_ACCEPT_LANGUAGE="en")
    assert german_again["Content-Language"] == "de"


def test_no_csrf_token_is_stored_in_a_cached_copy(published, monkeypatch):
    from public import cache as page_cache

    stored = []
    original = page_cache._set
    monkeypatch.setattr(
        page_cache,
        "_set",
        lambda key, value, timeout: (stored.append(value), original(key, value, timeout)),
    )
    Client().get(_url(published))
    pages = [v for v in stored if isinstance(v, dict) and "content" in v]
    assert len(pages) == 2  # the canonical copy and the early one
    for value in pages:
        tokens = TOKEN.findall(value["content"])  # the language switch's form
        assert tokens and set(tokens) == {page_cache.CSRF_PLACEHOLDER}


def test_each_visitor_gets_a_working_csrf_token_of_their_own(warm):
    one, two = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first, second = one.get(_url(warm)), two.get(_url(warm))
    assert _fast(first) and _fast(second)
    token_one = TOKEN.search(first.content.decode()).group(1)
    token_two = TOKEN.search(second.content.decode()).group(1)
    assert "__PUBLIC_CACHE" not in token_one + token_two
    cookie_one = one.cookies[settings.CSRF_COOKIE_NAME].value
    assert cookie_one != two.cookies[settings.CSRF_COOKIE_NAME].value
    # A returning visitor keeps their cookie: the early page carries a token for it.
    third = one.get(_url(warm))
    assert _fast(third)
    assert one.cookies[settings.CSRF_COOKIE_NAME].value == cookie_one
    # The token in the page works with the cookie the same answer set (the language switch).
    form = {"language": "en", "next": _url(warm)}
    assert one.post(_switch_url(), {**form, "csrfmiddlewaretoken": token_one}).status_code == 302
    # Another visitor's token does not.
    refused = two.post(_switch_url(), {**form, "csrfmiddlewaretoken": "x" * 64})
    assert refused.status_code == 403


def _switch_url() -> str:
    from django.urls import reverse

    return reverse("accounts:set_language")


def test_conditional_get_is_answered_early(warm):
    etag = Client().get(_url(warm))["ETag"]
    again = Client().get(_url(warm), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and _fast(again)


def test_publication_makes_the_early_copy_stale(warm):
    from core.pagecache import invalidate_public_pages

    before = generation()
    invalidate_public_pages()
    assert generation() != before
    assert not _fast(Client().get(_url(warm)))  # rendered again under the new generation
    assert _fast(Client().get(_url(warm)))


@pytest.mark.parametrize(
    "extra",
    [
        {"HTTP_HX_REQUEST": "true"},
        {"HTTP_AUTHORIZATION": "Bearer x"},
        {"HTTP_HOST": "evil.example"},
    ],
)
def test_requests_that_might_not_be_anonymous_take_the_full_stack(warm, extra):
    response = Client().get(_url(warm), **extra)
    assert not _fast(response)
    if "HTTP_HOST" in extra:
        assert response.status_code == 400


def test_pending_messages_take_the_full_stack(warm):
    client = Client()
    client.cookies["messages"] = "anything"
    assert not _fast(client.get(_url(warm)))


def test_a_copy_is_made_from_a_full_stack_hit(published):
    # Stored by a visitor with a session cookie: the early copy comes with the next
    # cookie-less visitor, who still gets the page through the full stack once.
    with_session = Client()
    with_session.cookies[settings.SESSION_COOKIE_NAME] = "nothing-here"
    with_session.get(_url(published))
    assert not _fast(Client().get(_url(published)))
    assert _fast(Client().get(_url(published)))


@pytest.fixture
def redis_cache(settings):
    """The production cache backend on this run's Redis, under a key prefix of its own."""
    import os

    from django.core.cache import caches

    from core import cache as core_cache
    from tests.realservices import require_redis

    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
    require_redis(url)
    core_cache._clients.clear()
    prefix = f"test-fast-{os.getpid()}"
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        }
    }
    yield caches["default"]
    client = caches["default"]._cache.get_client(write=True)
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)
    core_cache._clients.clear()


@pytest.mark.redis
def test_chained_read_is_one_round_trip_and_exact(redis_cache):
    redis_cache.set("gen", 42, None)
    redis_cache.set("page:42:de:x", {"content": "Seite"}, None)
    redis_cache.set("page:41:de:x", {"content": "alt"}, None)
    assert redis_cache.get_chained("gen", "page:", ":de:x") == (42, {"content": "Seite"})
    assert redis_cache.get_chained("gen", "page:", ":en:x") == (42, None)
    assert redis_cache.get_chained("missing", "page:", ":de:x") == (None, None)


@pytest.mark.redis
def test_early_page_cache_on_redis_follows_publication(redis_cache, published, coordinator):
    from core.pagecache import invalidate_public_pages

    assert not _fast(Client().get(_url(published)))
    hit = Client().get(_url(published))
    assert _fast(hit) and "Bargeldgrenze" in hit.content.decode()
    invalidate_public_pages()
    assert not _fast(Client().get(_url(published)))
    # A signed-in reader still never gets it.
    member_client = Client()
    member_client.force_login(coordinator)
    assert not _fast(member_client.get(_url(published)))


def test_a_publication_in_another_process_shows_within_a_second(warm, monkeypatch):
    """This process remembers the generation for RECENT_SECONDS; a bump made by another
    process (here: written straight into the cache) reaches its readers after that."""
    from django.core.cache import cache

    from core import pagecache

    assert _fast(Client().get(_url(warm)))
    stale = Client().get(_url(warm))["ETag"]
    cache.set(pagecache.GENERATION_KEY, pagecache.generation() + 1, None)  # "elsewhere"
    assert Client().get(_url(warm))["ETag"] == stale  # within the second: remembered
    monkeypatch.setattr(pagecache, "RECENT_SECONDS", 0.0)
    fresh = Client().get(_url(warm))
    assert fresh["ETag"] != stale  # the new generation: rendered again
    assert not _fast(fresh)


def test_a_publication_in_this_process_shows_at_once(warm):
    from core.pagecache import invalidate_public_pages

    stale = Client().get(_url(warm))["ETag"]
    invalidate_public_pages()
    assert Client().get(_url(warm))["ETag"] != stale
