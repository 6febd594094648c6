"""Micro-bench (issue 20): a cached public page hit with Django's Redis client per call
against one shared client per process (core.cache.SharedRedisCacheClient).

In-process (Django's test client, no server, no network but Redis): the request
pipeline of a cached anonymous hit on a published paper's page, 400 hits per round,
rounds interleaved, median and spread, and how many `redis.Redis` objects each built.
Needs Redis: RTM_BENCH_REDIS_URL (else the section says it was skipped).

    python -m bench cache_client
"""

from __future__ import annotations

import os
import statistics
import time

from bench import harness

HITS = 400
ROUNDS = 6


def main() -> str:
    harness.setup()
    url = os.environ.get("RTM_BENCH_REDIS_URL")
    title = "## Cached page hit: one Redis client per process (issue 20)\n\n"
    if not url:
        return title + "Skipped: no Redis (set RTM_BENCH_REDIS_URL).\n"
    import redis
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCacheClient
    from django.test import Client
    from django.test.utils import override_settings

    from core import cache as core_cache
    from tests.factories import make_statement

    statement = make_statement(state="published", title="Bezahlkarte: Bargeldgrenze aufheben")
    path = statement.get_absolute_url()
    built = {"n": 0}
    original_init = redis.Redis.__init__

    def counting(self, *args, **kwargs):
        built["n"] += 1
        original_init(self, *args, **kwargs)

    class PerCallClient(core_cache.ResilientRedisCache):
        """The same backend with Django's stock client (a new redis.Redis per call)."""

        def __init__(self, server, params):
            super().__init__(server, params)
            self._class = RedisCacheClient

    backends = {
        "Django's RedisCacheClient (a client per call)": f"{__name__}.PerCallClient",
        "SharedRedisCacheClient (one per process)": "core.cache.ResilientRedisCache",
    }
    globals()["PerCallClient"] = PerCallClient
    times: dict[str, list[float]] = {label: [] for label in backends}
    clients: dict[str, float] = {}
    loads = []
    redis.Redis.__init__ = counting  # type: ignore[method-assign]
    try:
        for round_ in range(ROUNDS):
            loads.append(os.getloadavg()[0])
            order = list(backends.items())
            for label, backend in order if round_ % 2 else order[::-1]:  # alternate the order
                caches_setting = {"default": {"BACKEND": backend, "LOCATION": url}}
                with override_settings(CACHES=caches_setting):
                    core_cache._clients.clear()
                    client = Client()
                    assert client.get(path).status_code == 200  # rendered and cached
                    assert client.get(path).status_code == 200
                    built["n"] = 0
                    started = time.perf_counter()
                    for _ in range(HITS):
                        client.get(path)
                    times[label].append((time.perf_counter() - started) / HITS * 1000)
                    clients[label] = built["n"] / HITS
                    caches["default"].clear()
    finally:
        redis.Redis.__init__ = original_init  # type: ignore[method-assign]

    lines = []
    medians = {}
    for label, values in times.items():
        medians[label] = statistics.median(values)
        lines.append(
            f"| {label} | {medians[label]:.3f} ms ({min(values):.3f}–{max(values):.3f}) "
            f"| {clients[label]:.1f} |"
        )
        print(f"cache_client: {label}: {medians[label]:.3f} ms per hit, {clients[label]} clients")
    old, new = medians.values()
    return (
        title + f"A published paper's page, anonymous, from the cache: {HITS} hits per round, "
        f"{ROUNDS} rounds interleaved, in-process test client, Redis at the bench URL; median "
        f"(min–max); load average {statistics.median(loads):.1f}.\n\n"
        "| cache client | per cached hit | redis.Redis built per hit |\n|---|---|---|\n"
        + "\n".join(lines)
        + f"\n\nThe shared client takes {100 * (old - new) / old:.0f} % off a cached hit.\n"
    )
