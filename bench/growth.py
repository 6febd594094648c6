"""The paths that grow with the data, at growing amounts of data (issue 20).

Run alone with `python -m bench growth` (or `make bench BENCH_ARGS=growth`), or through
`make bench`. Levels (RTM_BENCH_LEVELS, default `demo,500,2000,5000`): the demo group
(`seed_demo`) alone, then 500, 2,000 and 5,000 published positions of about 1,000 words
of German text from `generate_positions` (idempotent: each level adds only the missing
papers, and a lower level withdraws the generated papers above it; 5,000 took about three
minutes on 2 shared cores, so leave it out with RTM_BENCH_LEVELS=demo,500,2000 on a slow
machine). At each level:

Uncached, sequential over one connection to gunicorn, every request a cache miss (the
public generation bumped before each, as after a publication), each path timed between
two uncached renders of the public list's first page (the baseline; ratio to the mean of
the two), RTM_BENCH_ROUNDS rounds:
  a search for the commonest word and one without a hit, the list's first page, the
  sitemap index and its first page, a generated paper's public page, a member's
  dashboard, and the member page of a paper with 10 and one with 1,000 comments.

Cached, by wrk (bench/harness.py): the list's first page, the commonest-word search and a
paper's public page, each round right after a static file through the same server.

Then, at the largest level: two uncached searches at once (two client threads, each
bumping the generation before each search) while wrk fetches the static file, against
the static file alone.

Every figure with its median, spread (min–max over the rounds) and the load average;
PASS/MISS against the targets of issue 20's "Show" section.
"""

from __future__ import annotations

import http.client
import os
import statistics
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import quote

from bench import harness

COMMONEST = "Landkreis"  # statements.generate.COMMONEST_WORD (checked in main)

LEVELS = tuple(os.environ.get("RTM_BENCH_LEVELS", "demo,500,2000,5000").split(","))
ROUNDS = int(os.environ.get("RTM_BENCH_ROUNDS", "3" if harness.QUICK else "5"))
BASELINE = ("/statements/", "list, first page (uncached baseline)")
PAUSE = 0.3  # seconds between two simultaneous uncached searches
MEMBER_PAPERS = {10: "Wachstum: zehn Kommentare", 1000: "Wachstum: tausend Kommentare"}


@dataclass
class Series:
    label: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    ms: list[float] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)
    statuses: set[int] = field(default_factory=set)
    queries: int | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.ms)

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios)

    def spread(self, values: list[float], digits: int = 1) -> str:
        return f"{min(values):.{digits}f}–{max(values):.{digits}f}"


def _timed(conn: http.client.HTTPConnection, series: Series) -> tuple[float, int]:
    """One request after making every cached public page stale: (ms, status)."""
    from core.pagecache import invalidate_public_pages

    invalidate_public_pages()
    started = time.perf_counter()
    conn.request("GET", series.path, headers={"Accept-Encoding": "gzip", **series.headers})
    response = conn.getresponse()
    response.read()
    return (time.perf_counter() - started) * 1000, response.status


def _level_count(level: str) -> int:
    return 0 if level == "demo" else int(level)


def set_level(level: str) -> int:
    """Exactly `level` generated papers published (the newest), the rest withdrawn."""
    from django.db import connection

    from statements.generate import PREFIX, generate_positions
    from statements.models import Statement

    count = _level_count(level)
    added = generate_positions(count) if count else 0
    generated = Statement.objects.filter(slug__startswith=PREFIX)
    generated.filter(slug__gt=f"{PREFIX}{count:05d}").update(state="withdrawn")
    generated.filter(slug__lte=f"{PREFIX}{count:05d}").update(state="published")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE statements_statement")
    return added


def member_papers(reader) -> dict[int, str]:
    """Two papers in consultation with 10 and 1,000 comments (made once, kept)."""
    from bench.member_page import _discuss
    from statements.models import Statement
    from tests.factories import UserFactory, make_statement

    urls = {}
    people = [reader, *[UserFactory(display_name=f"Wachstum {i}") for i in range(19)]]
    body = "\n\n".join(f"Absatz {i}: " + "Wir fordern faire Verfahren. " * 12 for i in range(12))
    for total, title in MEMBER_PAPERS.items():
        statement = Statement.objects.filter(title=title).first()
        if statement is None:
            statement = make_statement(
                author=people[1], state="consultation", title=title, body=body
            )
            _discuss(statement, people, total)
        urls[total] = statement.get_absolute_url()
    return urls


def public_paper() -> str:
    """The newest generated paper (the demo level: the newest published paper)."""
    from statements.generate import PREFIX
    from statements.models import Statement

    published = Statement.objects.filter(state="published")
    paper = (
        published.filter(slug=f"{PREFIX}00001").first()
        or published.order_by("-published_at").first()
    )
    return paper.get_absolute_url()


def uncached_series(commonest: str, no_hit: str, member: dict, urls: dict) -> list[Series]:
    paper = public_paper()
    return [
        Series(f"search, commonest word „{commonest}“", f"/statements/?q={quote(commonest)}"),
        Series("search without a hit", f"/statements/?q={quote(no_hit)}"),
        Series("sitemap index", "/sitemap.xml"),
        Series("sitemap, first page (≤ 1,000 URLs)", "/sitemap-statements.xml"),
        Series("public statement page (uncached)", paper),
        Series("dashboard (member)", "/dashboard/", member),
        Series("member page, 10 comments", urls[10], member),
        Series("member page, 1,000 comments", urls[1000], member),
    ]


def measure_uncached(server: harness.Server, series: list[Series], reader) -> list[Series]:
    baseline = Series(BASELINE[1], BASELINE[0])
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
    try:
        for s in [baseline, *series]:  # warm both workers
            _timed(conn, s)
            _timed(conn, s)
        for number in range(ROUNDS):
            order = series if number % 2 == 0 else series[::-1]
            before, status = _timed(conn, baseline)
            baseline.ms.append(before)
            baseline.statuses.add(status)
            for s in order:
                ms, status = _timed(conn, s)
                after, base_status = _timed(conn, baseline)
                baseline.ms.append(after)
                baseline.statuses.add(base_status)
                s.ms.append(ms)
                s.statuses.add(status)
                s.ratios.append(ms / ((before + after) / 2))
                before = after
    finally:
        conn.close()
    baseline.ratios = [1.0]
    from core.pagecache import invalidate_public_pages

    for s in [baseline, *series]:
        invalidate_public_pages()
        user = reader if s.headers else None
        s.queries = harness.count_queries(s.path, user=user)[1]
    return [baseline, *series]


def measure_cached(server: harness.Server, commonest: str) -> list[harness.Figure]:
    figures = [
        harness.Figure("list, first page (cached)", "/statements/"),
        harness.Figure(f"search „{commonest}“ (cached)", f"/statements/?q={quote(commonest)}"),
        harness.Figure("public statement page (cached)", public_paper()),
    ]
    return harness.interleaved(server, figures)


def concurrent_searches(server: harness.Server, commonest: str) -> dict[str, float]:
    """The static file's rate alone and while two uncached searches run back to back."""
    from core.pagecache import invalidate_public_pages

    alone = [harness.wrk(server, harness.static_path()) for _ in range(2)]
    stop = threading.Event()
    done: list[tuple[float, int]] = []

    barrier = threading.Barrier(2)

    def search_loop() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
        path = f"/statements/?q={quote(commonest)}"
        while not stop.is_set():
            # Both start together, then a pause: two readers searching at the same moment
            # now and then, not two workers kept busy all the time.
            try:
                barrier.wait(timeout=5)
            except threading.BrokenBarrierError:
                return
            time.sleep(PAUSE)
            invalidate_public_pages()
            started = time.perf_counter()
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            done.append(((time.perf_counter() - started) * 1000, response.status))
        conn.close()

    threads = [threading.Thread(target=search_loop) for _ in range(2)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)
    during = [harness.wrk(server, harness.static_path()) for _ in range(2)]
    stop.set()
    barrier.abort()
    for thread in threads:
        thread.join()
    return {
        "alone": statistics.median(r.per_second for r in alone),
        "during": statistics.median(r.per_second for r in during),
        "p99_alone": statistics.median(r.p99_ms for r in alone),
        "p99_during": statistics.median(r.p99_ms for r in during),
        "searches": len(done),
        "search_ms": statistics.median(ms for ms, _ in done) if done else float("nan"),
        "bad": sum(1 for _, status in done if status != 200) + sum(r.bad for r in during),
        "load": os.getloadavg()[0],
    }


def main() -> str:
    harness.setup()
    from django.core.management import call_command

    from statements.generate import COMMONEST_WORD, NO_HIT_WORD
    from tests.factories import UserFactory

    assert COMMONEST == COMMONEST_WORD
    if not harness.wrk_available():
        return "## Growth\n\nSkipped: `wrk` is not installed (Debian: `apt-get install wrk`).\n"
    started = time.monotonic()
    call_command("seed_demo", verbosity=0)
    print(f"demo group in {time.monotonic() - started:.1f} s", flush=True)
    from accounts.models import User

    reader = User.objects.filter(email="wachstum-leser@example.org").first() or UserFactory(
        email="wachstum-leser@example.org", display_name="Wachstum Leser"
    )
    started = time.monotonic()
    urls = member_papers(reader)
    print(f"member papers in {time.monotonic() - started:.1f} s", flush=True)
    server = harness.server()
    member = harness.session_headers(reader)
    results = []
    for level in LEVELS:
        started = time.monotonic()
        added = set_level(level)
        made = time.monotonic() - started
        print(f"level {level}: {added} generated in {made:.1f} s", flush=True)
        uncached = measure_uncached(
            server, uncached_series(COMMONEST_WORD, NO_HIT_WORD, member, urls), reader
        )
        load = os.getloadavg()
        for s in uncached:
            print(
                f"  {s.label}: median {s.median:.1f} ms ({s.spread(s.ms)}), ratio "
                f"{s.ratio:.2f} ({s.spread(s.ratios, 2)}), statuses {sorted(s.statuses)}, "
                f"{s.queries} queries",
                flush=True,
            )
        cached = measure_cached(server, COMMONEST_WORD)
        results.append((level, added, made, load, uncached, cached))
    concurrency = concurrent_searches(server, COMMONEST_WORD)
    print(f"  two searches at once: {concurrency}", flush=True)
    return _section(results, concurrency)


def _row(level: str, s: Series, first: dict, load) -> str:
    growth = s.median / first[s.label] if first.get(s.label) else float("nan")
    return (
        f"| {level} | {s.label} | {s.median:.1f} ({s.spread(s.ms)}) | "
        f"{s.ratio:.2f} ({s.spread(s.ratios, 2)}) | {growth:.2f} | {s.queries} | "
        f"{', '.join(map(str, sorted(s.statuses)))} | {harness.load_text(load)} |"
    )


def _section(results: list, concurrency: dict) -> str:
    numeric = [r for r in results if r[0] != "demo"]
    reference = numeric[0] if numeric else results[0]
    first = {s.label: s.median for s in reference[4]}
    lines = [
        f"## Growth: uncached and cached paths at {', '.join(r[0] for r in results)} "
        f"published positions ({harness.database_label()})",
        "",
        "Uncached rows: every request a cache miss (the public generation bumped before "
        f"each), sequential over one HTTP connection to gunicorn, {ROUNDS} rounds per level, "
        "the order reversed every other round; each path timed between two uncached renders "
        "of the list's first page (the baseline) and its ratio taken to the mean of the two. "
        'Spread is min–max over the rounds. "growth" is the median against the '
        f"{reference[0]} level's. Signed-in rows (dashboard, member page) are a member's; "
        "SQL queries counted for one request in-process. Generated papers: about 1,000 "
        "words each (`generate_positions`); the demo level is `seed_demo` alone.",
        "",
        "| positions | path | median ms (spread) | ratio to uncached list (spread) | growth "
        "| SQL queries | statuses | load average |",
        "|---|---|---:|---:|---:|---:|---|---|",
    ]
    for level, _added, _made, load, uncached, _cached in results:
        lines += [_row(level, s, first, load) for s in uncached]
    lines += [
        "",
        "Cached rows (wrk, see the public pages section for the method), per level:",
        "",
    ]
    table = harness.figures_table([f for r in results for f in r[5]]).splitlines()
    lines.append(table[0].replace("| what |", "| positions | what |"))
    lines.append(table[1].replace("|---|", "|---|---|", 1))
    rows = iter(table[2:])
    for level, *_rest, cached in results:
        for _figure in cached:
            lines.append(f"| {level} " + next(rows))
    lines += ["", "Generating the papers:", ""]
    for level, added, made, *_rest in results:
        lines.append(f"- {level}: {added} papers added in {made:.0f} s (including VACUUM ANALYZE)")
    lines += ["", "Against the issue's targets:", ""]
    by_level = {r[0]: {s.label: s for s in r[4]} for r in results}
    largest, smallest = numeric[-1][0] if numeric else None, reference[0]

    def find(level: str, start: str) -> Series:
        return next(s for label, s in by_level[level].items() if label.startswith(start))

    if largest:
        common = find(largest, "search, commonest")
        lines.append(
            f"- Search for the commonest word at {largest} within 3× an uncached list render: "
            f"**{common.ratio:.2f}×** ({common.spread(common.ratios, 2)}) "
            f"{harness.verdict(common.ratio <= 3)}"
        )
    if "500" in by_level:
        none = find("500", "search without")
        lines.append(
            f"- Search without a hit at 500 within the same bound: **{none.ratio:.2f}×** "
            f"({none.spread(none.ratios, 2)}) {harness.verdict(none.ratio <= 3)}"
        )
    if largest and largest != smallest:
        for start in ("sitemap index", "sitemap, first", "dashboard", "list, first"):
            low, high = find(smallest, start), find(largest, start)
            growth = high.median / low.median
            lines.append(
                f"- {low.label} from {smallest} to {largest} within 1.5×: "
                f"**{growth:.2f}×** ({low.median:.1f} → {high.median:.1f} ms) "
                f"{harness.verdict(growth <= 1.5)}"
            )
    for level, *_rest in results:
        ten, thousand = find(level, "member page, 10 "), find(level, "member page, 1,000")
        ratios = [b / a for a, b in zip(ten.ms, thousand.ms, strict=True)]
        ratio = thousand.median / ten.median
        lines.append(
            f"- Member page with 1,000 comments ≤ 1.5× the page with 10 ({level} positions): "
            f"**{ratio:.2f}×** (per round {min(ratios):.2f}–{max(ratios):.2f}) "
            f"{harness.verdict(ratio <= 1.5)}"
        )
    statuses = {st for r in results for s in r[4] for st in s.statuses}
    cached_bad = sum(run.bad for r in results for f in r[5] for run in f.runs)
    lines.append(
        f"- No query over the statement timeout (a timed-out search answers with an error "
        f"status): uncached statuses seen {sorted(statuses)}, cached answers not 2xx/3xx: "
        f"{cached_bad} {harness.verdict(statuses == {200} and not cached_bad)}"
    )
    kept = concurrency["during"] / concurrency["alone"]
    waited = concurrency["p99_during"] - concurrency["p99_alone"]
    not_stalled = waited <= 2 * concurrency["search_ms"] and not concurrency["bad"]
    lines.append(
        f"- Two uncached searches at once do not stall other requests: two clients started "
        f"a search for „{COMMONEST}“ at the same moment, every {PAUSE:g} s after the last "
        f"pair ({concurrency['searches']} searches, median {concurrency['search_ms']:.0f} ms, "
        f"{concurrency['bad']} failed), while wrk fetched the static file: "
        f"{concurrency['alone']:.0f}/s alone, {concurrency['during']:.0f}/s during "
        f"({kept:.2f}×), p99 {concurrency['p99_alone']:.1f} → "
        f"{concurrency['p99_during']:.1f} ms; load {concurrency['load']:.1f}. "
        f'{harness.verdict(not_stalled)} when counted as "no request waits more than two '
        'searches longer and none fails" (with 2 sync workers a request behind both '
        "searches waits for one of them; the rate falls by the share of time both workers "
        "search)."
    )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(main())
