"""Cheaper cached hits (issue 20): one Redis client per process, one URL resolution per
request. Against the real Redis (REDIS_URL) with core.cache.ResilientRedisCache."""

from __future__ import annotations

import os
import threading

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import resolvers

from core import cache as core_cache
from tests.factories import make_statement
from tests.realservices import require_redis


@pytest.fixture
def redis_cache(settings):
    """The production cache backend on this run's Redis (REDIS_URL's database)."""
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
    require_redis(url)
    core_cache._clients.clear()
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"test-client-{os.getpid()}",
        }
    }
    yield caches["default"]
    client = caches["default"]._cache.get_client(write=True)
    for key in client.scan_iter(match=f"test-client-{os.getpid()}:*"):
        client.delete(key)
    core_cache._clients.clear()


@pytest.fixture
def constructions(monkeypatch):
    """Counts every redis.Redis client and connection pool built."""
    import redis

    built = {"clients": 0, "pools": 0}
    client_init, pool_init = redis.Redis.__init__, redis.ConnectionPool.__init__

    def counting_client(self, *args, **kwargs):
        built["clients"] += 1
        client_init(self, *args, **kwargs)

    def counting_pool(self, *args, **kwargs):
        built["pools"] += 1
        pool_init(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "__init__", counting_client)
    monkeypatch.setattr(redis.ConnectionPool, "__init__", counting_pool)
    return built


@pytest.mark.redis
@pytest.mark.django_db
def test_cached_page_hits_build_no_redis_client(redis_cache, constructions):
    statement = make_statement(state="published", title="Bezahlkarte")
    client = Client()
    assert client.get(f"/statements/{statement.slug}/").status_code == 200  # renders, caches
    for _ in range(20):  # cached hits, each a separate request
        assert client.get(f"/statements/{statement.slug}/").status_code == 200
    # Django's own RedisCacheClient builds a client per cache call (dozens here).
    assert constructions == {"clients": 1, "pools": 1}


@pytest.mark.redis
@pytest.mark.django_db
def test_threads_share_one_client_and_pool(redis_cache, constructions):
    """Django keeps one cache object per thread; they share the process's client."""
    seen = []

    def work() -> None:
        cache = caches["default"]
        cache.set("thread-key", "v", 30)
        seen.append((id(cache), id(cache._cache.get_client(write=True)), cache.get("thread-key")))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({cache for cache, _client, _value in seen}) == 4  # per-thread cache objects
    assert len({client for _cache, client, _value in seen}) == 1  # one client
    assert {value for *_rest, value in seen} == {"v"}
    assert constructions == {"clients": 1, "pools": 1}


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [False, True])
def test_a_request_resolves_its_url_once(debug, settings, monkeypatch):
    """Before issue 20 the DEBUG-only 404 middleware resolved every path once more."""
    settings.DEBUG = debug
    statement = make_statement(state="published", title="Bezahlkarte")
    calls: list[str] = []
    original = resolvers.URLResolver.resolve

    def counting(self, path):
        if self.pattern.regex.pattern == "^/":  # the root resolver: one whole resolution
            calls.append(path)
        return original(self, path)

    monkeypatch.setattr(resolvers.URLResolver, "resolve", counting)
    client = Client()
    for path in (f"/statements/{statement.slug}/", "/statements/", "/"):
        # Rendered (resolved once), then the cached copy, which the early page cache
        # (public/middleware.py) answers without resolving at all.
        for expected in ([path], []):
            calls.clear()
            assert client.get(path).status_code == 200
            assert calls == expected, (path, calls)


@pytest.mark.django_db
def test_an_unknown_url_in_debug_still_gets_the_project_404_page(settings):
    settings.DEBUG = True
    response = Client().get("/gibt-es-nicht/")
    assert response.status_code == 404
    assert b"URLconf" not in response.content  # not Django's technical page
    assert Client().get("/statements").status_code == 301  # APPEND_SLASH still redirects
