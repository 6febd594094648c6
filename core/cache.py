"""Redis as Django's cache, where a Redis that does not answer is a miss, not a 500.

The cache holds only what can be lost: cached public pages, the public generation
(core/pagecache.py) and rate-limit counters (allauth's and core/ratelimit.py). While
Redis is down, reads miss, writes are dropped and counters count nothing, so rate
limits fail open and pages are rendered uncached: logins, sign-ups, password resets
and subscriptions go on working. Each failure is logged as a warning (at most once a
minute per process) and /healthz reports the cache as down ("degraded").

After a failure Redis is not asked again for a few seconds (a short circuit breaker),
so a request makes no string of one-second connection attempts.

One Redis client per process (issue 20): Django's RedisCacheClient builds a new
`redis.Redis` object on every call (cheap-looking, but ~16 % of a cached page hit),
and its connection pool belongs to the cache object, which Django's CacheHandler keeps
per thread. SharedRedisCacheClient keeps one client (and so one pool) per server and
options for the whole process, shared by every thread's cache object; redis-py's pool
is thread-safe and starts afresh in a forked child (it checks the process id).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5.0
LOG_EVERY_SECONDS = 60.0


def _connection_errors() -> tuple[type[BaseException], ...]:
    import redis.exceptions

    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


_clients: dict[tuple[str, str], Any] = {}
_clients_lock = threading.Lock()


class SharedRedisCacheClient(RedisCacheClient):
    """RedisCacheClient that hands out one `redis.Redis` per server for the process."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shared: dict[int, Any] = {}  # index → the process's client, looked up once

    def get_client(self, key=None, *, write=False):  # type: ignore[override]
        index = self._get_connection_pool_index(write)
        client = self._shared.get(index)
        if client is None:
            shared = (self._servers[index], repr(sorted(self._pool_options.items(), key=str)))
            with _clients_lock:
                client = _clients.get(shared)
                if client is None:
                    pool = self._pool_class.from_url(self._servers[index], **self._pool_options)
                    client = _clients[shared] = self._client(connection_pool=pool)
            self._shared[index] = client
        return client


class ResilientRedisCache(RedisCache):
    """django.core.cache.backends.redis.RedisCache that fails open on connection errors
    and shares one client per process (SharedRedisCacheClient)."""

    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = SharedRedisCacheClient

    _down_until = 0.0  # shared by the process: monotonic time before which Redis is skipped
    _logged_at = -LOG_EVERY_SECONDS

    def _failed(self, operation: str, error: BaseException) -> None:
        now = time.monotonic()
        type(self)._down_until = now + RETRY_AFTER_SECONDS
        if now - type(self)._logged_at >= LOG_EVERY_SECONDS:
            type(self)._logged_at = now
            logger.warning(
                "cache (Redis) unavailable, serving without it (rate limits open, pages "
                "uncached): %s failed: %s: %s",
                operation,
                type(error).__name__,
                error,
            )

    def _call(self, operation: str, default: Any, *args: Any, **kwargs: Any) -> Any:
        if time.monotonic() < type(self)._down_until:
            return default
        try:
            return getattr(super(), operation)(*args, **kwargs)
        except _connection_errors() as error:
            self._failed(operation, error)
            return default

    def ping(self) -> None:
        """Raise if Redis does not answer (for /healthz; bypasses the breaker)."""
        self._cache.get_client(write=True).ping()

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):  # type: ignore[override]
        # True: allauth's rate limiter takes a lock with add() and refuses everyone when it
        # cannot get it; with no Redis there is nothing to lock against.
        return self._call("add", True, key, value, timeout, version)

    def get(self, key, default=None, version=None):  # type: ignore[override]
        return self._call("get", default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):  # type: ignore[override]
        return self._call("set", None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):  # type: ignore[override]
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):  # type: ignore[override]
        return self._call("delete", False, key, version)

    def get_many(self, keys, version=None):  # type: ignore[override]
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):  # type: ignore[override]
        return self._call("has_key", False, key, version)

    def incr(self, key, delta=1, version=None):  # type: ignore[override]
        # Counting nothing: a counter that cannot be read never reaches its limit.
        return self._call("incr", delta, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):  # type: ignore[override]
        return self._call("set_many", list(data), data, timeout, version)

    def delete_many(self, keys, version=None):  # type: ignore[override]
        return self._call("delete_many", None, keys, version)

    def clear(self):  # type: ignore[override]
        return self._call("clear", False)

    # Read a key and then the key its value names, in one round trip (a Lua script), for
    # the early page cache (public/middleware.py): the public generation and the page
    # stored under it. Two round trips were a quarter of a cached hit's time.
    _CHAINED = """
    local first = redis.call('GET', KEYS[1])
    if not first then return nil end
    return {first, redis.call('GET', ARGV[1] .. first .. ARGV[2])}
    """
    _chained_script = None

    def get_chained(self, first: str, prefix: str, suffix: str) -> tuple[Any, Any]:
        """(value of `first`, value of `prefix + str(that value) + suffix`); (None, None)
        when `first` is missing or Redis does not answer."""
        if time.monotonic() < type(self)._down_until:
            return None, None
        try:
            key = self.make_and_validate_key(first)
            client = self._cache.get_client(key)
            script = type(self)._chained_script
            if script is None:
                script = type(self)._chained_script = client.register_script(self._CHAINED)
            found = script(
                keys=[key],
                args=[self.make_and_validate_key(prefix), suffix],
                client=client,
            )
        except _connection_errors() as error:
            self._failed("get_chained", error)
            return None, None
        if not found:
            return None, None
        loads = self._cache._serializer.loads
        second = loads(found[1]) if len(found) > 1 and found[1] is not None else None
        return loads(found[0]), second
