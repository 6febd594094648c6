"""The paths that grow with the data, at growing amounts of data (issue 20).

Run alone with `python -m bench growth` (or `make bench BENCH_ARGS=growth`), or through
`make bench`. At each level (RTM_BENCH_LEVELS, default 500, 2,000 and 5,000 published
positions of about 1,000 words, made by `generate_positions`: realistic German text,
idempotent, so a level adds only what is missing) it measures, over HTTP through the
bench's gunicorn, every request a cache miss (the public generation is bumped before
each, as after a publication):

- a search for the commonest word (in every paper) and a search without a hit,
- the list's first page, the sitemap index and the sitemap's first page,

each against the baseline of the same run: an uncached render of the public list's first
page, measured right before and after every request (interleaved), so load from other
work on the machine hits both. Per path: median milliseconds with their spread (min–max
over RTM_BENCH_ROUNDS rounds), the median of the per-round ratios to the baseline with
their spread, SQL queries for one request, and the load average when the level was
measured. The list and sitemap rows also give their growth against the first level.

PostgreSQL and Redis when RTM_BENCH_DATABASE_URL / RTM_BENCH_REDIS_URL point at a
database and a Redis database made for the bench; otherwise a fresh SQLite file and the
file cache, which the heading says.
"""

from __future__ import annotations

import http.client
import os
import statistics
import time
from dataclasses import dataclass, field
from urllib.parse import quote

from bench import harness

LEVELS = tuple(
    int(level) for level in os.environ.get("RTM_BENCH_LEVELS", "500,2000,5000").split(",")
)
ROUNDS = int(os.environ.get("RTM_BENCH_ROUNDS", "3" if harness.QUICK else "7"))
BASELINE = ("/statements/", "list, first page (uncached baseline)")


@dataclass
class Series:
    label: str
    path: str
    ms: list[float] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)
    statuses: set[int] = field(default_factory=set)
    queries: int | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.ms)

    def spread(self, values: list[float], digits: int = 1) -> str:
        return f"{min(values):.{digits}f}–{max(values):.{digits}f}"


def _paths(commonest: str, no_hit: str) -> list[tuple[str, str]]:
    return [
        (f"/statements/?q={quote(commonest)}", f"search, commonest word „{commonest}“"),
        (f"/statements/?q={quote(no_hit)}", "search without a hit"),
        ("/sitemap.xml", "sitemap index"),
        ("/sitemap-statements.xml", "sitemap, first page (1,000 URLs)"),
    ]


def _timed(conn: http.client.HTTPConnection, path: str) -> tuple[float, int]:
    """One request after making every cached public page stale: (ms, status)."""
    from core.pagecache import invalidate_public_pages

    invalidate_public_pages()
    started = time.perf_counter()
    conn.request("GET", path, headers={"Accept-Encoding": "gzip"})
    response = conn.getresponse()
    response.read()
    return (time.perf_counter() - started) * 1000, response.status


def measure_level(server: harness.Server, commonest: str, no_hit: str) -> list[Series]:
    baseline = Series(BASELINE[1], BASELINE[0])
    others = [Series(label, path) for path, label in _paths(commonest, no_hit)]
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        for path in [BASELINE[0], *(s.path for s in others)]:  # warm both workers
            _timed(conn, path)
        for _ in range(ROUNDS):
            before, status = _timed(conn, baseline.path)
            baseline.ms.append(before)
            baseline.statuses.add(status)
            for series in others:
                ms, status = _timed(conn, series.path)
                after, base_status = _timed(conn, baseline.path)
                baseline.ms.append(after)
                baseline.statuses.add(base_status)
                series.ms.append(ms)
                series.statuses.add(status)
                series.ratios.append(ms / ((before + after) / 2))
                before = after
    finally:
        conn.close()
    baseline.ratios = [1.0]
    for series in [baseline, *others]:
        from core.pagecache import invalidate_public_pages

        invalidate_public_pages()
        series.queries = harness.count_queries(series.path)[1]
    return [baseline, *others]


def _trim(level: int) -> None:
    """Remove generated papers above `level` (left by an earlier run up to a higher one),
    so each level measures exactly that many."""
    from statements.generate import PREFIX
    from statements.models import Statement

    extra = Statement.objects.filter(slug__startswith=PREFIX, slug__gt=f"{PREFIX}{level:05d}")
    extra.update(current_revision=None)  # the revisions go with their papers
    removed = extra.delete()[0]
    if removed:
        print(f"removed {removed} rows generated by an earlier run above {level}", flush=True)


def _analyze() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE statements_statement")


def main() -> str:
    harness.setup()
    from django.db import connection

    from statements.generate import COMMONEST_WORD, NO_HIT_WORD, generate_positions

    database = connection.vendor
    label = "PostgreSQL" if database == "postgresql" else "SQLite, no PostgreSQL configured"
    _trim(LEVELS[0])
    server = harness.server()
    results: list[tuple[int, float, tuple[float, ...], list[Series]]] = []
    for level in LEVELS:
        started = time.monotonic()
        added = generate_positions(level)
        _analyze()
        print(f"level {level}: {added} added in {time.monotonic() - started:.1f} s", flush=True)
        series = measure_level(server, COMMONEST_WORD, NO_HIT_WORD)
        load = os.getloadavg()
        for s in series:
            print(
                f"  {s.label}: median {s.median:.1f} ms ({s.spread(s.ms)}), "
                f"ratio {statistics.median(s.ratios):.2f} ({s.spread(s.ratios, 2)}), "
                f"statuses {sorted(s.statuses)}, {s.queries} queries",
                flush=True,
            )
        print(f"  load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}", flush=True)
        results.append((level, time.monotonic() - started, load, series))
    return _section(label, results)


def _section(label: str, results: list) -> str:
    first = {s.label: s.median for s in results[0][3]}
    lines = [
        f"## Growth: search, list and sitemap at {', '.join(f'{r[0]:,}' for r in results)} "
        f"published positions ({label})",
        "",
        "Every request a cache miss (the public generation bumped before each), sequential "
        f"over one HTTP connection to gunicorn, {ROUNDS} rounds per level; each path is "
        "timed between two uncached renders of the list's first page (the baseline), and "
        "its ratio is to the mean of those two. Spread is min–max over the rounds. Papers "
        "of about 1,000 words from `generate_positions`; SQL queries counted for one "
        'request in-process. "growth" is the median against the first level\'s.',
        "",
        "| positions | path | median ms (spread) | ratio to baseline (spread) | growth | "
        "SQL queries | statuses | load average |",
        "|---:|---|---:|---:|---:|---:|---|---|",
    ]
    for level, _seconds, load, series in results:
        for s in series:
            growth = s.median / first[s.label] if first.get(s.label) else float("nan")
            ratio = statistics.median(s.ratios)
            lines.append(
                f"| {level:,} | {s.label} | {s.median:.1f} ({s.spread(s.ms)}) | "
                f"{ratio:.2f} ({s.spread(s.ratios, 2)}) | {growth:.2f} | {s.queries} | "
                f"{', '.join(map(str, sorted(s.statuses)))} | "
                f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} |"
            )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(main())
