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
The bench database is a fresh SQLite file under var/bench/ unless RTM_BENCH_DATABASE_URL
points at a PostgreSQL database made for it (it is migrated and written to).
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

# One random key per run, shared by this process and its gunicorn (session cookies).
_SECRET_KEY = secrets.token_urlsafe(50)
_setup_done = False
_server: Server | None = None


def bench_environment() -> dict[str, str]:
    """Production-like settings (DEBUG off) on the bench database, no TLS, no 2FA, eager tasks."""
    env = dict(os.environ)
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "EMAIL_HOST", "DATABASE_URL"):
        env.pop(name, None)
    env.update(
        DJANGO_SETTINGS_MODULE="rtm_workflow.settings",
        RTM_VAR_DIR=str(BENCH_DIR),
        DATABASE_URL=os.environ.get("RTM_BENCH_DATABASE_URL")
        or f"sqlite:///{BENCH_DIR / 'bench.sqlite3'}",
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
    if os.environ.get("RTM_BENCH_REDIS_URL"):
        env["REDIS_URL"] = os.environ["RTM_BENCH_REDIS_URL"]
    return env


def setup() -> None:
    """Point this process at the bench database, start Django, migrate, collect static files."""
    global _setup_done
    if _setup_done:
        return
    fresh = not os.environ.get("RTM_BENCH_DATABASE_URL")
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
    _setup_done = True


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


def server(workers: int | None = None) -> Server:
    """The shared gunicorn for this run (started on first use, stopped at exit)."""
    global _server
    if _server is not None:
        return _server
    setup()
    workers = workers or max(2, os.cpu_count() or 2)
    port = free_port()
    log = BENCH_DIR / "gunicorn.log"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "rtm_workflow.wsgi:application",
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
    _server = Server(port=port, workers=workers, proc=proc, log=log)
    atexit.register(_server.stop)
    # Warm up each worker (imports, template loading) before anything is measured.
    http_loop(_server, "/healthz", n=workers * 5, concurrency=workers)
    return _server


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
