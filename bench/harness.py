"""Shared tools for the benchmarks: a bench database, a real server, bounded request loops.

Usage in a bench module (bench/<name>.py):

    from bench import harness

    def main() -> str:
        harness.setup()                      # env + django.setup() + migrate (idempotent)
        from tests.factories import ...      # import models only after setup()
        ...create data through the services...
        server = harness.server()            # gunicorn, DEBUG off, same database (shared)
        baseline = harness.static_baseline(server)
        stats = harness.http_loop(server, "/statements/", n=300, concurrency=4,
                                  headers=harness.session_headers(user))
        queries = harness.count_queries("/statements/", user=None)
        return harness.section("Title", [harness.row("public list", stats, baseline, queries)])

Everything talks to 127.0.0.1 only; every loop is bounded in count and in time.
The bench database is PostgreSQL when DATABASE_URL is: a database `<name>_bench` beside it,
made afresh for each run; RTM_BENCH_DATABASE_URL names one to use as it is (migrated and
written to). Otherwise a fresh SQLite file under var/bench/, which every section labels.
Redis (REDIS_URL or RTM_BENCH_REDIS_URL) is the cache when set, else the file cache.
Throughput comes from `wrk` (a separate process; Debian package `wrk`), see below.
"""

from __future__ import annotations

import atexit
import http.client
import os
import platform
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The loopback helper the service tests use.
from tests.realservices import free_port

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
QUICK = os.environ.get("RTM_BENCH_QUICK", "") in ("1", "true", "yes")
MAX_SECONDS_PER_LOOP = 30.0
WORKERS = 2  # as in the outside measurement of issue 20 (2 cores; the Dockerfile has 3)

# One random key per run, shared by this process and its gunicorn (session cookies).
_SECRET_KEY = secrets.token_urlsafe(50)
_setup_done = False
_server: Server | None = None


def _bench_database_url() -> str | None:
    """RTM_BENCH_DATABASE_URL (used as it is), else a database `<name>_bench` beside
    DATABASE_URL's when that is PostgreSQL, dropped and made afresh for every run like the
    SQLite file (the bench writes thousands of papers and fixed names, never into the
    database you develop with), else None (a fresh SQLite file)."""
    explicit = os.environ.get("RTM_BENCH_DATABASE_URL")
    if explicit:
        return explicit
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None
    base, _, name = url.rpartition("/")
    bench_name = f"{name.split('?', 1)[0]}_bench"
    import psycopg

    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{bench_name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{bench_name}"')
    return f"{base}/{bench_name}"


def bench_redis_url() -> str | None:
    """RTM_BENCH_REDIS_URL, else REDIS_URL (its database number: the bench bumps the public
    generation and cache_client clears that database), else None (the file cache)."""
    return os.environ.get("RTM_BENCH_REDIS_URL") or os.environ.get("REDIS_URL") or None


_DATABASE_URL: str | None = None
_REDIS_URL: str | None = None


def bench_environment() -> dict[str, str]:
    """Production-like settings (DEBUG off) on the bench database, no TLS, no 2FA, eager tasks."""
    env = dict(os.environ)
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "EMAIL_HOST", "DATABASE_URL"):
        env.pop(name, None)
    env.update(
        DJANGO_SETTINGS_MODULE="rtm_workflow.settings",
        RTM_VAR_DIR=str(BENCH_DIR),
        DATABASE_URL=_DATABASE_URL or f"sqlite:///{BENCH_DIR / 'bench.sqlite3'}",
        DEBUG="false",
        SECRET_KEY=_SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SITE_URL="http://127.0.0.1:8000",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        SECURE_HSTS_SECONDS="0",
        RTM_MFA_REQUIRED="false",
        CELERY_TASK_ALWAYS_EAGER="true",
        LOG_LEVEL="WARNING",
        # Every bench request comes from 127.0.0.1: the search limit would refuse them.
        RTM_RATE_LIMIT_SEARCH="1000000/m",
    )
    if _REDIS_URL:
        env["REDIS_URL"] = _REDIS_URL
        env["RTM_BENCH_REDIS_URL"] = _REDIS_URL
    if _DATABASE_URL:
        env["RTM_BENCH_DATABASE_URL"] = _DATABASE_URL
    return env


def setup() -> None:
    """Point this process at the bench database, start Django, migrate, collect static files."""
    global _setup_done, _DATABASE_URL, _REDIS_URL
    if _setup_done:
        return
    _DATABASE_URL = _bench_database_url()
    _REDIS_URL = bench_redis_url()
    fresh = not _DATABASE_URL
    if fresh and BENCH_DIR.exists():
        shutil.rmtree(BENCH_DIR)
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    # Computed before clearing: it reads RTM_BENCH_* from the caller's environment (cleared
    # first, the bench database and Redis settings were silently dropped: always SQLite).
    environment = bench_environment()
    os.environ.clear()
    os.environ.update(environment)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import hashers
    from django.core.management import call_command

    # Bench data is made with hundreds of accounts; nobody signs in with a password here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    hashers.get_hashers.cache_clear()
    hashers.get_hashers_by_algorithm.cache_clear()

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    call_command("compiletranslations", verbosity=0)
    if _DATABASE_URL:
        _fresh_factory_sequences()
    _setup_done = True


def _fresh_factory_sequences() -> None:
    """The PostgreSQL bench database is kept between runs: start the test factories'
    sequences (person<N>@example.org, …) at this millisecond, which runs ahead of any
    earlier run's sequence (making a row takes more than a millisecond)."""
    import factory

    from tests import factories

    start = int(time.time() * 1000)
    for value in vars(factories).values():
        if isinstance(value, type) and issubclass(value, factory.django.DjangoModelFactory):
            if value._meta.model is not None and not value._meta.abstract:
                value.reset_sequence(start, force=True)


@dataclass
class Server:
    """gunicorn serving the project on a free loopback port."""

    port: int
    workers: int
    proc: subprocess.Popen[bytes]
    log: Path

    @property
    def description(self) -> str:
        return f"gunicorn, {self.workers} sync workers, DEBUG off, 127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()


_trivial: Server | None = None


def trivial_server() -> Server:
    """gunicorn (same workers) serving bench/_trivial.py: the no-Django baseline."""
    global _trivial
    if _trivial is None:
        _trivial = _start("bench._trivial:application", WORKERS, warm="/")
    return _trivial


def server(workers: int | None = None) -> Server:
    """The shared gunicorn for this run (started on first use, stopped at exit)."""
    global _server
    if _server is not None:
        return _server
    setup()
    _server = _start("rtm_workflow.wsgi:application", workers or WORKERS, warm="/healthz")
    return _server


def _start(app: str, workers: int, *, warm: str) -> Server:
    port = free_port()
    log = BENCH_DIR / "gunicorn.log"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            app,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=bench_environment(),
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("gunicorn exited:\n" + log.read_text()[-3000:])
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        raise TimeoutError("gunicorn did not start")
    started = Server(port=port, workers=workers, proc=proc, log=log)
    atexit.register(started.stop)
    # Warm up each worker (imports, template loading) before anything is measured.
    http_loop(started, warm, n=workers * 5, concurrency=workers)
    return started


@dataclass
class Stats:
    """What a request loop measured."""

    label: str
    count: int
    seconds: float
    latencies_ms: list[float] = field(repr=False)
    statuses: Counter[int]

    @property
    def per_second(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    @property
    def p50(self) -> float:
        return percentile(self.latencies_ms, 50)

    @property
    def p95(self) -> float:
        return percentile(self.latencies_ms, 95)

    def line(self) -> str:
        return (
            f"{self.label}: {self.count} requests in {self.seconds:.2f} s = "
            f"{self.per_second:.1f}/s, p50 {self.p50:.1f} ms, p95 {self.p95:.1f} ms, "
            f"statuses {dict(self.statuses)}"
        )


def page_sizes(url: str, user: object) -> tuple[int, int]:
    """Bytes of the page body as sent to `user` plainly and gzip-compressed."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    plain = client.get(url)
    packed = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert plain.status_code == 200, (url, plain.status_code)
    assert packed.get("Content-Encoding") == "gzip", "pages should be compressed"
    return len(plain.content), len(packed.content)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


def http_loop(
    srv: Server,
    path: str,
    *,
    n: int = 200,
    concurrency: int = 1,
    method: str = "GET",
    body: Callable[[int], bytes] | bytes | None = None,
    headers: Callable[[int], dict[str, str]] | dict[str, str] | None = None,
    label: str | None = None,
    max_seconds: float = MAX_SECONDS_PER_LOOP,
) -> Stats:
    """Send `n` requests (or as many as fit in max_seconds) from `concurrency` threads.

    `body` and `headers` may be functions of the request number (e.g. another voter's
    session cookie each time).
    Each thread keeps one HTTP/1.1 connection open.
    """
    if QUICK:
        n = max(concurrency, n // 5)
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    counter = iter(range(n))
    deadline = time.monotonic() + max_seconds

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
        try:
            while time.monotonic() < deadline:
                with lock:
                    number = next(counter, None)
                if number is None:
                    return
                payload = body(number) if callable(body) else body
                started = time.perf_counter()
                sent_headers = headers(number) if callable(headers) else headers
                conn.request(method, path, body=payload, headers=sent_headers or {})
                response = conn.getresponse()
                response.read()
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    latencies.append(elapsed)
                    statuses[response.status] += 1
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
        finally:
            conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    return Stats(label or f"{method} {path}", len(latencies), seconds, latencies, statuses)


def static_baseline(srv: Server, *, n: int = 400, concurrency: int = 4) -> Stats:
    """A static file (whitenoise) through the same server: the floor every page is compared to."""
    from django.templatetags.static import static

    return http_loop(
        srv, static("css/site.css"), n=n, concurrency=concurrency, label="static file (baseline)"
    )


def session_headers(user: Any, *, csrf: bool = False) -> dict[str, str]:
    """Cookie (and CSRF) headers for a signed-in `user`, made without the login form."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    headers = {"Cookie": cookie}
    if csrf:
        secret = "b" * 32  # an unmasked CSRF secret is accepted as a token of itself
        headers["Cookie"] += f"; {settings.CSRF_COOKIE_NAME}={secret}"
        headers["X-CSRFToken"] = secret
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    return headers


def count_queries(
    path: str, *, user: Any = None, method: str = "get", data: dict[str, Any] | None = None
) -> tuple[int, int]:
    """(status, SQL queries) for one request through Django's test client in this process."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    if user is not None:
        client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        response = getattr(client, method)(path, data or {})
    return response.status_code, len(ctx.captured_queries)


@dataclass
class Row:
    what: str
    stats: Stats
    baseline: Stats | None
    queries: int | None

    def markdown(self) -> str:
        ratio = (
            f"{self.stats.per_second / self.baseline.per_second:.2f}"
            if self.baseline and self.baseline.per_second
            else "–"
        )
        queries = "–" if self.queries is None else str(self.queries)
        return (
            f"| {self.what} | {self.stats.count} | {self.stats.per_second:.1f} | "
            f"{self.stats.p50:.1f} | {self.stats.p95:.1f} | {queries} | {ratio} |"
        )


def row(what: str, stats: Stats, baseline: Stats | None, queries: int | None) -> Row:
    return Row(what, stats, baseline, queries)


def section(title: str, rows: list[Row], notes: str = "") -> str:
    """A markdown section with one table: requests/s, p50/p95, SQL queries, ratio to baseline."""
    lines = [f"## {title}", ""]
    if notes:
        lines += [notes.strip(), ""]
    lines += [
        "| what | requests | per second | p50 ms | p95 ms | SQL queries | ratio to baseline |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    baseline = next((r.baseline for r in rows if r.baseline), None)
    if baseline is not None:
        lines.append(Row(baseline.label, baseline, baseline, 0).markdown())
    lines += [r.markdown() for r in rows]
    return "\n".join(lines) + "\n"


def machine_description() -> str:
    """CPU, cores, memory, OS, Python, Django, database: printed at the top of the results."""
    import django
    from django.db import connection

    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB memory"
    except (OSError, ValueError, IndexError):
        pass
    database = connection.vendor
    if database == "sqlite":
        database += f" {connection.Database.sqlite_version} (file)"
    return (
        f"- Machine: {cpu}, {os.cpu_count()} cores{memory}\n"
        f"- OS: {platform.platform()}\n"
        f"- Python {platform.python_version()}, Django {django.get_version()}, "
        f"database {database}, cache {_cache_backend()}\n"
        f"- Load average (1/5/15 min) when the results were written: "
        f"{' / '.join(f'{x:.1f}' for x in os.getloadavg())}\n"
        f"- Server: {_server.description if _server else 'gunicorn (not started)'}; "
        f"load from the same machine over loopback (client and server share the cores)\n"
    )


def _cache_backend() -> str:
    from django.conf import settings

    return settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]


# --- Load from a separate process: wrk ---------------------------------------------------
#
# Throughput figures come from `wrk` (Debian package `wrk`), a separate process on the
# same machine, against the bench's gunicorn; the threads above (http_loop) remain for
# the few modules that need a different request body or cookie per request. Every wrk
# figure is taken in rounds, each round next to its baseline (a static file through the
# same server) measured right before it, so load from other work on the machine hits both.

WRK_SECONDS = float(os.environ.get("RTM_BENCH_WRK_SECONDS", "1" if QUICK else "3"))
WRK_CONNECTIONS = int(os.environ.get("RTM_BENCH_WRK_CONNECTIONS", "4"))
ROUNDS = int(os.environ.get("RTM_BENCH_HTTP_ROUNDS", "3"))
_TICKS = os.sysconf("SC_CLK_TCK")


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


@dataclass
class WrkResult:
    """One wrk run: rate, latency percentiles, statuses, and the server's CPU time."""

    label: str
    requests: int
    seconds: float
    per_second: float
    p50_ms: float
    p99_ms: float
    bad: int  # non-2xx/3xx answers and socket errors
    server_cpu_ms: float  # CPU time of gunicorn's workers during the run, in total
    load: tuple[float, float, float]

    @property
    def cpu_per_request_ms(self) -> float:
        return self.server_cpu_ms / self.requests if self.requests else float("nan")


def worker_pids(srv: Server) -> list[int]:
    """gunicorn's worker processes (children of the master)."""
    pid = srv.proc.pid
    children: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            children += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return children


def cpu_ticks(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime (fields 14 and 15)
    return total


def _ms(text: str) -> float:
    units = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
    for unit in ("us", "ms", "s", "m"):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * units[unit]
    return float(text)


def parse_wrk(output: str, seconds: float) -> tuple[int, float, float, float, int]:
    """(requests, seconds, p50 ms, p99 ms, failures) from wrk's `--latency` report."""
    values: dict[str, float] = {}
    bad = 0
    requests, elapsed = 0, seconds
    for line in output.splitlines():
        parts = line.split()
        if line.strip().startswith(("50%", "99%")) and len(parts) == 2:
            values[parts[0]] = _ms(parts[1])
        elif "requests in" in line:
            requests = int(parts[0])
            elapsed = _ms(parts[3].rstrip(",")) / 1000
        elif line.strip().startswith("Non-2xx or 3xx responses:"):
            bad += int(parts[-1])
        elif line.strip().startswith("Socket errors:"):
            bad += sum(int(p.rstrip(",")) for p in parts if p.rstrip(",").isdigit())
    nan = float("nan")
    return requests, elapsed, values.get("50%", nan), values.get("99%", nan), bad


def wrk(
    srv: Server,
    path: str,
    *,
    label: str | None = None,
    seconds: float | None = None,
    connections: int | None = None,
    headers: dict[str, str] | None = None,
) -> WrkResult:
    """Run wrk against `path` for `seconds` over `connections` connections (one wrk thread:
    the load generator should take as little of the shared cores as it can)."""
    seconds = seconds or WRK_SECONDS
    connections = connections or WRK_CONNECTIONS
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds:g}s", "--latency", "--timeout", "30s"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://127.0.0.1:{srv.port}{path}")
    pids = worker_pids(srv)
    before = cpu_ticks(pids)
    output = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60).stdout
    cpu_ms = (cpu_ticks(pids) - before) * 1000 / _TICKS
    requests, elapsed, p50, p99, bad = parse_wrk(output, seconds)
    if not requests:
        raise RuntimeError(f"wrk measured nothing for {path}:\n{output}")
    return WrkResult(
        label=label or path,
        requests=requests,
        seconds=elapsed,
        per_second=requests / elapsed,
        p50_ms=p50,
        p99_ms=p99,
        bad=bad,
        server_cpu_ms=cpu_ms,
        load=os.getloadavg(),
    )


def static_path() -> str:
    from django.templatetags.static import static

    return static("css/site.css")


@dataclass
class Figure:
    """One path measured in rounds, each round beside a static-file baseline."""

    label: str
    path: str
    headers: dict[str, str] | None = None
    queries: int | None = None
    server: Server | None = None  # another server than the project's (the trivial app)
    runs: list[WrkResult] = field(default_factory=list)
    baselines: list[WrkResult] = field(default_factory=list)

    @property
    def ratios(self) -> list[float]:
        return [r.per_second / b.per_second for r, b in zip(self.runs, self.baselines, strict=True)]

    @property
    def cpu_ratios(self) -> list[float]:
        return [
            r.cpu_per_request_ms / b.cpu_per_request_ms
            for r, b in zip(self.runs, self.baselines, strict=True)
            if b.cpu_per_request_ms > 0
        ]

    def median(self, values: list[float]) -> float:
        return statistics.median(values) if values else float("nan")

    def spread(self, values: list[float], digits: int = 2) -> str:
        if not values:
            return "–"
        return f"{min(values):.{digits}f}–{max(values):.{digits}f}"


def interleaved(srv: Server, figures: list[Figure], *, rounds: int | None = None) -> list[Figure]:
    """Measure every figure `rounds` times, each time right after its own baseline run;
    the order of the figures is reversed in every other round."""
    rounds = rounds or ROUNDS
    static = static_path()
    wrk(srv, static, seconds=1)  # warm-up
    for figure in figures:
        wrk(figure.server or srv, figure.path, headers=figure.headers, seconds=1)
    for number in range(rounds):
        order = figures if number % 2 == 0 else figures[::-1]
        for figure in order:
            baseline = wrk(srv, static, label="static file (baseline)")
            run = wrk(figure.server or srv, figure.path, label=figure.label, headers=figure.headers)
            figure.baselines.append(baseline)
            figure.runs.append(run)
            print(
                f"  round {number + 1}: {figure.label}: {run.per_second:.0f}/s "
                f"(static {baseline.per_second:.0f}/s, "
                f"ratio {run.per_second / baseline.per_second:.2f}); "
                f"server CPU {run.cpu_per_request_ms:.2f} ms/request "
                f"(static {baseline.cpu_per_request_ms:.2f}); bad {run.bad}; "
                f"load {run.load[0]:.1f}",
                flush=True,
            )
    return figures


def load_text(load: tuple[float, ...]) -> str:
    return " / ".join(f"{x:.1f}" for x in load)


def figures_table(figures: list[Figure]) -> str:
    """Median and spread (min–max over the rounds) of rate, ratio to the static file, server
    CPU per request and its ratio, p50/p99 latency, failures, and the load average."""
    lines = [
        "| what | per second: median (spread) | static file, same rounds "
        "| ratio to static (spread) | server CPU ms/request | CPU ratio to static (spread) "
        "| p50 / p99 ms | not 2xx/3xx "
        "| SQL queries | load average |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for f in figures:
        rates = [r.per_second for r in f.runs]
        static_rates = [b.per_second for b in f.baselines]
        cpu = [r.cpu_per_request_ms for r in f.runs]
        p50 = statistics.median(r.p50_ms for r in f.runs)
        p99 = statistics.median(r.p99_ms for r in f.runs)
        loads = sorted({f"{r.load[0]:.1f}" for r in f.runs}, key=float)
        lines.append(
            f"| {f.label} | {f.median(rates):.0f} ({f.spread(rates, 0)}) | "
            f"{f.median(static_rates):.0f} | {f.median(f.ratios):.2f} ({f.spread(f.ratios)}) | "
            f"{f.median(cpu):.2f} | {f.median(f.cpu_ratios):.1f} ({f.spread(f.cpu_ratios, 1)}) | "
            f"{p50:.1f} / {p99:.1f} | {sum(r.bad for r in f.runs)} | "
            f"{'–' if f.queries is None else f.queries} | {loads[0]}–{loads[-1]} |"
        )
    return "\n".join(lines) + "\n"


def verdict(ok: bool) -> str:
    return "**PASS**" if ok else "**MISS**"


def database_label() -> str:
    from django.db import connection

    cache = _cache_backend()
    if connection.vendor == "postgresql":
        return f"PostgreSQL {connection.pg_version // 10000}, {cache}"
    return f"SQLite (no PostgreSQL configured), {cache}"
