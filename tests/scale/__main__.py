"""The scale test: `make scale-test` (python -m tests.scale). Not part of `make test`.

Builds the multi-server topology of docs/deployment.md ("More than one server") out of
Linux network namespaces on one machine and shows that the application works across
it. Root only; needs iproute2, haproxy, PostgreSQL's server binaries and redis-server.

    lb       HAProxy: round robin, /healthz checks, GET retried on the other host
    web1/2   gunicorn (2 workers each) serving the app, DEBUG off, collected static files
    worker1/2  Celery workers (queues celery and mail, one process each)
    beat     Celery beat, the project's schedule with minute intervals compressed
    db1      PostgreSQL primary (its own initdb cluster)
    db2      PostgreSQL streaming replica (pg_basebackup -R over the bridge)
    cache    redis-server: cache (sessions stay in PostgreSQL), rate limits, broker
    (root)   this harness and the SMTP server (aiosmtpd) on the bridge's address

Prints each check with its figures and a summary; exit status 0 only if all passed.
Namespaces, links, processes and temporary directories are removed even on failure.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from tests.realservices import ROOT

WEB_PORT = 8000
MEMBERS = 100  # mail recipients per paper
PAPERS_PER_BATCH = 4  # events per mail batch: 600 mails, several tasks for two workers
SEARCH_RATE = 12  # per minute and client address, on both web hosts together


@dataclass
class Check:
    name: str
    ok: bool = False
    figures: dict[str, object] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0


class Topology:
    """What a run starts, so that `finally` can take all of it down again."""

    def __init__(self) -> None:
        from tests.scale.hosts import Network

        self.net = Network()
        self.procs: dict[str, object] = {}
        self.release: list[subprocess.Popen] = []
        self.primary = self.replica = None
        self.smtp = None
        self.var = tempfile.mkdtemp(prefix="rtm-scale-var-")
        self.secret = secrets.token_urlsafe(40)

    @property
    def lb(self) -> str:
        return f"http://{self.net.hosts['lb']}"

    def host_env(self, **extra: str) -> dict[str, str]:
        """Production-like settings, the same on every application host."""
        hosts = self.net.hosts
        env = dict(os.environ)
        for name in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL"):
            env.pop(name, None)
        env.update(
            DJANGO_SETTINGS_MODULE="rtm_workflow.settings",
            DEBUG="false",
            # One SECRET_KEY for all hosts: signed cookies, CSRF and reset links.
            SECRET_KEY=self.secret,
            ALLOWED_HOSTS=hosts["lb"],
            SITE_URL=self.lb,
            CSRF_TRUSTED_ORIGINS=self.lb,
            SECURE_SSL_REDIRECT="false",
            SESSION_COOKIE_SECURE="false",
            CSRF_COOKIE_SECURE="false",
            SECURE_HSTS_SECONDS="0",
            RTM_MFA_REQUIRED="false",
            BEHIND_PROXY="true",
            TRUSTED_PROXY_COUNT="1",
            DATABASE_URL=self.primary.url(),
            DATABASE_REPLICA_URL=self.replica.url(),
            REDIS_URL=f"redis://{hosts['cache']}:6379/0",
            CELERY_BROKER_URL=f"redis://{hosts['cache']}:6379/1",
            CELERY_TASK_ALWAYS_EAGER="false",
            EMAIL_HOST=self.net.gateway,
            EMAIL_PORT=str(self.smtp.port),
            EMAIL_USE_TLS="false",
            EMAIL_TIMEOUT="5",
            RTM_VAR_DIR=self.var,
            RTM_RATE_LIMIT_SEARCH=f"{SEARCH_RATE}/m",
            RTM_SCALE_BEAT_SECONDS="3",
            LOG_LEVEL="WARNING",
        )
        env.update(extra)
        return env

    def start(self) -> None:
        began = time.monotonic()

        def phase(what: str) -> None:
            print(f"  {time.monotonic() - began:5.1f} s  {what}", flush=True)

        from tests.realservices import ControllableSmtp
        from tests.scale import hosts as h

        net = self.net
        net.up()
        for name, octet in (
            ("lb", 10),
            ("web1", 11),
            ("web2", 12),
            ("worker1", 21),
            ("worker2", 22),
            ("beat", 31),
            ("db1", 41),
            ("db2", 42),
            ("cache", 51),
        ):
            net.add_host(name, octet)
        phase("network")
        self.primary = h.NsPostgres(net, "db1")
        self.primary.init_primary()
        phase("primary")
        self.replica = h.NsPostgres(net, "db2")
        # Every statement in the replica's log: which page read what is seen at once
        # (table statistics reach pg_stat_* only seconds later).
        self.replica.options = "-c log_statement=all"
        self.replica.init_replica_of(self.primary)
        phase("replica")
        redis = self.procs["redis"] = h.redis_process(net, "cache", self.var)
        redis.start()
        h.wait_tcp(net.hosts["cache"], 6379, proc=redis.proc, what="redis")
        self.smtp = ControllableSmtp(hostname=net.gateway)
        self.smtp.start()

        env = self.host_env()
        # Once, as a release step would: the schema and the static files, side by side.
        static = static_cache()
        steps = [["migrate", "--noinput"]]
        if not (static / "staticfiles.json").exists():
            steps.append(["collectstatic", "--noinput", "-v", "0"])
        running = self.release = [
            subprocess.Popen(
                [sys.executable, "manage.py", *command],
                cwd=ROOT,
                env={**env, "RTM_VAR_DIR": str(static.parent)}
                if command[0] == "collectstatic"
                else env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
            )
            for command in steps
        ]

        def finish(index: int) -> None:
            output = running[index].communicate(timeout=300)[0]
            if running[index].returncode:
                raise RuntimeError(f"{steps[index][0]} failed:\n{output.decode()[-3000:]}")

        os.symlink(static, Path(self.var) / "static")
        # Meanwhile the hosts boot that need neither: workers and the balancer; the web
        # hosts once the static files are there (WhiteNoise indexes them at start), beat
        # once the schema is (its first ticks would fail on missing tables).
        for worker in ("worker1", "worker2"):
            self.procs[worker] = h.worker_process(net, worker, env)
            self.procs[worker].start()
        self.procs["lb"] = h.haproxy_process(
            net, "lb", {w: net.hosts[w] for w in ("web1", "web2")}, WEB_PORT, self.var
        )
        self.procs["lb"].start()
        if len(steps) > 1:
            finish(1)
            phase("collectstatic")
        for web in ("web1", "web2"):
            self.procs[web] = h.gunicorn_process(net, web, env, WEB_PORT)
            self.procs[web].start()
        finish(0)
        phase("migrate")
        self.procs["beat"] = h.beat_process(net, "beat", env)
        self.procs["beat"].start()
        for web in ("web1", "web2"):
            h.wait_tcp(net.hosts[web], WEB_PORT, 60, self.procs[web].proc, web)
        phase("web hosts listen")
        h.wait_tcp(net.hosts["lb"], 80, 20, self.procs["lb"].proc, "haproxy")
        for worker in ("worker1", "worker2"):
            self.wait_worker_ready(worker)
        phase("workers ready")
        self.wait_both_web_hosts()
        phase("load balancer sees both web hosts")

    def wait_worker_ready(self, worker: str, since: int = 0, timeout: float = 60) -> None:
        proc = self.procs[worker]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if " ready." in proc.log()[since:]:
                return
            if not proc.alive():
                raise RuntimeError(f"{worker} exited:\n{proc.log()[-3000:]}")
            time.sleep(0.2)
        raise TimeoutError(f"{worker} not ready:\n{proc.log()[-3000:]}")

    def wait_both_web_hosts(self, timeout: float = 30) -> None:
        import requests

        seen: set[str] = set()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(seen) < 2:
            try:
                response = requests.get(f"{self.lb}/healthz", timeout=5)
                if response.status_code == 200:
                    seen.add(response.headers.get("X-Served-By", ""))
            except requests.RequestException:
                pass
            time.sleep(0.2)
        if seen != {"web1", "web2"}:
            raise TimeoutError(f"the load balancer sees only {seen or 'no host'}")

    def configure_harness(self) -> None:
        """This process writes the scenarios' data straight into the primary."""
        os.environ.update(self.host_env())
        import django

        django.setup()

    def stop(self) -> None:
        for step in self.release:  # migrate or collectstatic still running: an early failure
            if step.poll() is None:
                step.kill()
                step.wait(timeout=10)
        for proc in self.procs.values():
            try:
                proc.cleanup()
            except Exception:  # noqa: BLE001 - tear down everything else regardless
                traceback.print_exc()
        for pg in (self.replica, self.primary):
            if pg is not None:
                pg.cleanup()
        if self.smtp is not None:
            self.smtp.stop()
        self.net.down()

        shutil.rmtree(self.var, ignore_errors=True)


# --- helpers -------------------------------------------------------------------------


def static_cache() -> Path:
    """Collected static files, kept between runs while the sources stay the same
    (collecting and compressing them takes half a minute on a busy machine)."""
    import hashlib

    digest = hashlib.sha256()
    for base in sorted({*ROOT.glob("*/static"), ROOT / "static"}):
        for path in sorted(base.rglob("*")):
            if path.is_file():
                stat = path.stat()
                digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    keep = Path(tempfile.gettempdir()) / f"rtm-scale-static-{digest.hexdigest()[:16]}"
    for old in Path(tempfile.gettempdir()).glob("rtm-scale-static-*"):
        if old != keep:  # from sources as they were before: not needed again
            shutil.rmtree(old, ignore_errors=True)
    return keep / "static"


def login(topo: Topology, email: str):
    import requests

    session = requests.Session()
    page = session.get(f"{topo.lb}/accounts/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{topo.lb}/accounts/login/",
        data={"login": email, "password": "rtm-test-pass-2026", "csrfmiddlewaretoken": token},
        headers={"Referer": f"{topo.lb}/accounts/login/"},
        allow_redirects=False,
        timeout=10,
    )
    return session, response


def members(count: int, prefix: str):
    from django.utils import timezone

    from accounts.models import User

    return User.objects.bulk_create(
        [
            User(
                email=f"{prefix}{i}@example.org",
                display_name=f"{prefix.upper()} {i}",
                membership_status="member",
                member_since=timezone.now(),
            )
            for i in range(count)
        ]
    )


MESSAGE_ID = re.compile(r"<notification-(\d+)@")


def mail_counts(topo: Topology, ids: set[int]) -> tuple[Counter, Counter]:
    """Confirmed and received (maybe unconfirmed) messages per notification id."""
    confirmed, received = Counter(), Counter()
    for bucket, messages in ((confirmed, topo.smtp.confirmed), (received, topo.smtp.received)):
        for message in list(messages):
            match = MESSAGE_ID.match(message["Message-ID"] or "")
            if match and int(match.group(1)) in ids:
                bucket[int(match.group(1))] += 1
    return confirmed, received


def mail_batch(title: str) -> set[int]:
    """PAPERS_PER_BATCH papers open for consultation, each a mail to every member."""
    from notifications.models import Channel, Notification, Status
    from tests.factories import make_statement

    before = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    for n in range(PAPERS_PER_BATCH):
        make_statement(state="consultation", title=f"{title} {n + 1}")
    # All of them, also those a fast worker has already sent; not digest items.
    return set(
        Notification.objects.filter(channel=Channel.EMAIL, pk__gt=before)
        .exclude(status__in=[Status.SKIPPED, Status.DIGEST, Status.DIGESTED])
        .values_list("pk", flat=True)
    )


def wait_until(predicate, timeout: float, step: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


def replica_reads(topo: Topology) -> int:
    """Queries of the papers' table the replica answered for the application (Django
    quotes table names; the harness's own checks do not)."""
    text = topo.replica.logfile.read_text(errors="replace")
    return sum(
        1 for line in text.splitlines() if "statement:" in line and '"statements_statement"' in line
    )


def wait_replica_reads_change(topo: Topology, before: int, timeout: float = 2) -> int:
    wait_until(lambda: replica_reads(topo) != before, timeout, 0.1)
    return replica_reads(topo)


def lsns(topo: Topology) -> str:
    return (
        f"primary {topo.primary.psql('SELECT pg_current_wal_lsn()')}, replica replayed "
        f"{topo.replica.psql('SELECT pg_last_wal_replay_lsn()')}"
    )


def public_paper(topo: Topology):
    """One published paper for the checks that read public pages (made once: ~2 s)."""
    if getattr(topo, "paper", None) is None:
        from tests.factories import make_statement

        topo.paper = make_statement(state="published", title="Vom Replikat gelesen")
    return topo.paper


def fresh_public_pages(topo: Topology | None = None) -> None:
    """A new public generation: the next public page is rendered, not a cache hit.
    With `topo`, wait (up to 5 s) until the replica has replayed the noted position, as
    it does a few milliseconds after each change."""
    from django.core.cache import cache

    from core.pagecache import RECENT_SECONDS, invalidate_public_pages
    from core.replica import POSITION_KEY

    invalidate_public_pages()
    # Each web process keeps the generation it read for RECENT_SECONDS (the documented
    # bound for a change made in another process): until then it may still answer from
    # its early copies of the last generation, making no query at all (one CI run saw
    # "0 replica queries" after the catch-up for that reason).
    time.sleep(RECENT_SECONDS + 0.1)
    if topo is not None:
        noted = cache.get(POSITION_KEY)
        wait_until(
            lambda: (
                topo.replica.psql(f"SELECT pg_last_wal_replay_lsn() >= '{noted}'::pg_lsn") == "t"
            ),
            5,
            0.05,
        )


# --- checks ----------------------------------------------------------------------------


def sessions_across_hosts(topo: Topology, check: Check) -> None:
    from tests.factories import UserFactory

    person = UserFactory()
    session, response = login(topo, person.email)
    check.figures["login"] = f"{response.status_code} via {response.headers.get('X-Served-By')}"
    hosts, statuses = Counter(), Counter()
    for _ in range(20):
        page = session.get(f"{topo.lb}/profile/", allow_redirects=False, timeout=10)
        hosts[page.headers.get("X-Served-By")] += 1
        statuses[page.status_code] += 1
    check.figures.update(requests=20, status=dict(statuses), hosts=dict(hosts))
    check.ok = response.status_code == 302 and statuses == {200: 20} and len(hosts) == 2


def rate_limit_shared(topo: Topology, check: Check) -> None:
    import requests

    if time.time() % 60 > 50:  # the limit's window is the clock minute: do not straddle it
        time.sleep(61 - time.time() % 60)
    results: list[tuple[int, str]] = []
    for n in range(2 * SEARCH_RATE):
        response = requests.get(f"{topo.lb}/statements/?q=suche{n}x", timeout=20)
        results.append((response.status_code, response.headers.get("X-Served-By", "")))
    ok = [host for status, host in results if status == 200]
    limited = [host for status, host in results if status == 429]
    check.figures.update(
        limit=f"{SEARCH_RATE}/min",
        searches=len(results),
        answered=len(ok),
        refused_429=len(limited),
        answered_by=dict(Counter(ok)),
        refused_by=dict(Counter(limited)),
    )
    check.notes.append("one counter in Redis for both hosts, client from X-Forwarded-For")
    check.ok = (
        len(ok) == SEARCH_RATE
        and len(limited) == SEARCH_RATE
        and set(ok) == set(limited) == {"web1", "web2"}
    )


def outbox_two_workers(topo: Topology, check: Check) -> None:
    from notifications.models import Notification, Status
    from notifications.tasks import deliver_pending

    members(MEMBERS, "zwei")
    started = time.monotonic()
    ids = mail_batch("Zwei Arbeiter")
    for _ in range(4):  # competing runs over all events as well: the claims must hold
        deliver_pending.delay()
    done = wait_until(
        lambda: Notification.objects.filter(pk__in=ids, status=Status.SENT).count() == len(ids),
        120,
        0.5,
    )
    elapsed = time.monotonic() - started
    wait_until(lambda: sum(mail_counts(topo, ids)[0].values()) >= len(ids), 10)
    confirmed, _received = mail_counts(topo, ids)
    per_worker = {}
    for worker in ("worker1", "worker2"):
        per_worker[worker] = sum(
            int(n)
            for n in re.findall(
                r"notifications.tasks.deliver_pending\[[^\]]+\] succeeded in [\d.]+s: (\d+)",
                topo.procs[worker].log(),
            )
        )
    check.figures.update(
        mails=len(ids),
        delivered=len(confirmed),
        duplicates=sum(n - 1 for n in confirmed.values()),
        lost=len(ids - set(confirmed)),
        sent_by=per_worker,
        seconds=round(elapsed, 1),
        mails_per_s=round(len(ids) / elapsed, 1),
    )
    check.ok = (
        done
        and len(confirmed) == len(ids)
        and all(n == 1 for n in confirmed.values())
        and all(per_worker.values())
    )


def replica_serves_public_pages(topo: Topology, check: Check) -> None:
    import requests

    from tests.factories import make_statement

    papers = [public_paper(topo)]
    # Wait for the replica to have the papers, then render each page afresh.
    fresh_public_pages()
    from django.core.cache import cache

    from core.replica import POSITION_KEY

    check.figures["positions"] = f"noted {cache.get(POSITION_KEY)}, {lsns(topo)}"
    before = replica_reads(topo)
    statuses = Counter()
    for paper in papers * 6:
        fresh_public_pages(topo)
        response = requests.get(f"{topo.lb}/statements/{paper.slug}/", timeout=10)
        statuses[(response.status_code, paper.title in response.text)] += 1
    after = wait_replica_reads_change(topo, before)
    check.figures.update(pages=6, answers=dict(statuses), replica_queries=after - before)
    served = after > before and statuses == {(200, True): 6}

    # Replication paused: the primary has a paper the replica has not replayed. The
    # router notices (replay position behind the primary's) and reads the primary.
    topo.replica.psql("SELECT pg_wal_replay_pause()")
    try:
        late = make_statement(state="published", title="Während der Verzögerung")
        fresh_public_pages()
        before_lag = replica_reads(topo)
        lag_pages = []
        for _ in range(4):
            response = requests.get(f"{topo.lb}/statements/", timeout=10)
            lag_pages.append((response.status_code, late.title in response.text))
        time.sleep(0.3)
        during_lag = replica_reads(topo) - before_lag
    finally:
        topo.replica.psql("SELECT pg_wal_replay_resume()")
    caught_up = wait_until(
        lambda: (
            topo.replica.psql(
                f"SELECT count(*) FROM statements_statement WHERE id = {int(late.pk)}",  # noqa: S608
                db="rtm_scale",
            )
            == "1"
        ),
        10,
    )
    fresh_public_pages(topo)
    before_resume = replica_reads(topo)
    response = requests.get(f"{topo.lb}/statements/", timeout=10)
    after_resume = wait_replica_reads_change(topo, before_resume)
    check.figures.update(
        while_lagging=dict(Counter(lag_pages)),
        replica_queries_while_lagging=during_lag,
        after_catch_up=(response.status_code, late.title in response.text),
        replica_queries_after=after_resume - before_resume,
    )
    check.notes.append("new paper shown at once while replay was paused (read from the primary)")
    check.ok = (
        served
        and lag_pages == [(200, True)] * 4
        and during_lag == 0
        and caught_up
        and response.status_code == 200
        and late.title in response.text
        and after_resume > before_resume
    )


def kill_web_host(topo: Topology, check: Check) -> None:
    import requests

    from tests.factories import UserFactory

    paper = public_paper(topo)
    person = UserFactory()
    member, response = login(topo, person.email)
    paths = ["/", "/statements/", f"/statements/{paper.slug}/", "/healthz"]
    stop = threading.Event()
    lock = threading.Lock()
    counts, failures, served = Counter(), [], Counter()

    def loop(n: int) -> None:
        client = member if n == 0 else requests.Session()
        path_list = ["/profile/"] if n == 0 else paths
        i = 0
        while not stop.is_set():
            path = path_list[i % len(path_list)]
            i += 1
            try:
                r = client.get(f"{topo.lb}{path}", allow_redirects=False, timeout=15)
                bad = r.status_code != 200
                host = r.headers.get("X-Served-By", "?")
                what = f"{path} {r.status_code}"
            except requests.RequestException as error:
                bad, host, what = True, "-", f"{path} {type(error).__name__}"
                # A body already streaming from the host when it died cannot be retried by
                # the balancer (it retries only before a response has begun): that request
                # was in flight at the kill, not lost by the topology.
                if isinstance(error, requests.exceptions.ChunkedEncodingError) and (
                    killed.is_set() and time.monotonic() - killed_at[0] < 2
                ):
                    with lock:
                        counts["requests"] += 1
                        cut_at_kill.append(what)
                    continue
            with lock:
                counts["requests"] += 1
                served[(host, "after kill" if killed.is_set() else "before")] += 1
                if bad:
                    failures.append(what)

    killed = threading.Event()
    killed_at = [0.0]
    cut_at_kill: list[str] = []
    threads = [threading.Thread(target=loop, args=(n,)) for n in range(4)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    time.sleep(3)
    killed_at[0] = time.monotonic()
    topo.procs["web1"].kill()  # SIGKILL: master and workers, mid-request
    killed.set()
    time.sleep(6)
    stop.set()
    for thread in threads:
        thread.join(timeout=20)
    elapsed = time.monotonic() - started
    check.figures.update(
        requests=counts["requests"],
        failures=len(failures),
        cut_mid_response_at_kill=len(cut_at_kill),
        seconds=round(elapsed, 1),
        per_host={f"{h} {when}": n for (h, when), n in sorted(served.items())},
    )
    if failures:
        check.notes.append(f"failed: {Counter(failures).most_common(5)}")
    # The host comes back (as a supervisor would restart it); the balancer takes it in
    # again once its health check passes, while the next checks run.
    topo.procs["web1"].start()
    # At most one body cut per client connection (4 here), and only in the moment of the kill.
    survivor = served[("web2", "after kill")]
    check.ok = not failures and len(cut_at_kill) <= len(threads) and survivor > 0


def kill_worker_mid_batch(topo: Topology, check: Check) -> None:
    from django.utils import timezone

    from notifications import services
    from notifications.models import Notification, Status

    started = time.monotonic()
    ids = mail_batch("Arbeiter stirbt")
    for _ in range(2):
        from notifications.tasks import deliver_pending

        deliver_pending.delay()
    wait_until(lambda: sum(mail_counts(topo, ids)[0].values()) >= 100, 60, 0.02)
    before_kill = sum(mail_counts(topo, ids)[0].values())
    sending = Notification.objects.filter(pk__in=ids, status=Status.SENDING).count()
    topo.procs["worker1"].kill()
    check.figures["killed_after"] = before_kill
    check.figures["rows_in_flight_at_kill"] = sending
    # The other worker finishes what it can reach; the dead one's leased rows wait.
    last = [-1, time.monotonic()]

    def settled() -> bool:
        now_confirmed = sum(mail_counts(topo, ids)[0].values())
        if now_confirmed != last[0]:
            last[:] = [now_confirmed, time.monotonic()]
        return time.monotonic() - last[1] > 2

    wait_until(settled, 60, 0.25)
    stuck = Notification.objects.filter(pk__in=ids, status=Status.SENDING).count()
    # The supervisor restarts the worker; the sweep (beat, every minute) takes the
    # dead run's leases back once they expire. Time compressed: the harness runs it
    # as if the lease (~15 min) were over.
    log_size = len(topo.procs["worker1"].log())
    topo.procs["worker1"].start()
    topo.wait_worker_ready("worker1", since=log_size)
    # What the dead run had marked sent without a recorded reply becomes "unanswered" and
    # is sent again after the grace period (same Message-ID): compressed here too.
    from django.conf import settings

    services.outbox_sweep(
        now=timezone.now()
        + timedelta(seconds=services.LEASE_SECONDS + 60)
        + timedelta(minutes=settings.RTM_MAIL_UNANSWERED_GRACE_MINUTES)
    )
    unanswered = Notification.objects.filter(
        pk__in=ids, last_error__startswith="the delivering worker stopped"
    ).count()
    Notification.objects.filter(pk__in=ids, status=Status.PENDING).update(
        next_attempt_at=timezone.now()
    )
    services.outbox_sweep()
    done = wait_until(
        lambda: (
            not Notification.objects.filter(
                pk__in=ids, status__in=[Status.PENDING, Status.SENDING, Status.UNANSWERED]
            ).exists()
        ),
        90,
        0.5,
    )
    wait_until(lambda: sum(mail_counts(topo, ids)[0].values()) >= len(ids), 10)
    confirmed, received = mail_counts(topo, ids)
    sent_rows = set(
        Notification.objects.filter(pk__in=ids, status=Status.SENT).values_list("pk", flat=True)
    )
    silent = sent_rows - set(confirmed)  # marked sent, never delivered
    repeated = {pk: n for pk, n in confirmed.items() if n > 1}
    check.figures.update(
        mails=len(ids),
        leased_by_dead_worker=stuck,
        sent_without_recorded_reply=unanswered,
        delivered=len(confirmed),
        duplicates=sum(n - 1 for n in confirmed.values()),
        lost=len(ids - set(confirmed)),
        cut_off_in_data=sum(received.values()) - sum(confirmed.values()),
        silent=len(silent),
        seconds=round(time.monotonic() - started, 1),
    )
    check.notes.append(
        "guarantee (docs/architecture.md, notifications): nothing lost; only a message the "
        "dead worker had in flight (marked sent, its reply not yet recorded) may come twice, "
        "with the same Message-ID"
    )
    check.ok = (
        done
        and ids <= set(confirmed)
        and not silent
        and all(n == 2 for n in repeated.values())
        and len(repeated) <= unanswered
    )


def beat_runs_once(topo: Topology, check: Check) -> None:
    from django.utils import timezone

    from statements.models import Statement
    from statements.states import State
    from tests.factories import make_statement
    from voting.testing import set_voting_deadline
    from workflow.models import AuditEntry
    from workflow.tasks import run_due_work

    vote = make_statement(state="voting", title="Frist durch Beat")
    set_voting_deadline(statement=vote, when=timezone.now() - timedelta(minutes=1))
    closed = wait_until(lambda: Statement.objects.get(pk=vote.pk).state != State.VOTING, 30, 0.5)
    # Two workers running the due work at once (six copies queued together): the row
    # locks decide, the deadline is acted on once.
    race = make_statement(state="voting", title="Frist im Wettlauf")
    set_voting_deadline(statement=race, when=timezone.now() - timedelta(minutes=1))
    for _ in range(6):
        run_due_work.delay()
    wait_until(lambda: Statement.objects.get(pk=race.pk).state != State.VOTING, 30, 0.3)
    time.sleep(1)  # one more tick
    topo.procs["beat"].stop()
    sent = topo.procs["beat"].log().count("Sending due task workflow-due-work")
    runs = re.compile(r"Task workflow\.tasks\.run_due_work\[[^\]]+\] received")

    def received() -> dict[str, int]:
        return {w: len(runs.findall(topo.procs[w].log())) for w in ("worker1", "worker2")}

    # The last tick's task reaches a worker; then nothing more may come.
    wait_until(lambda: sum(received().values()) >= sent + 6, 10, 0.2)
    time.sleep(0.5)
    counts = received()
    closes = AuditEntry.objects.filter(statement=vote, transition="close_vote").count()
    race_closes = AuditEntry.objects.filter(statement=race, transition="close_vote").count()
    check.figures.update(
        beat_ticks=sent,
        runs_received=counts,
        runs_total=sum(counts.values()),
        extra_queued=6,
        vote_closed=closed,
        close_entries=closes,
        race_close_entries=race_closes,
    )
    check.notes.append(
        "worker1 was restarted in the check before: runs it received before that are in its "
        "earlier log and counted"
    )
    check.ok = (
        closed
        and closes == 1
        and race_closes == 1
        and sent >= 3
        and sum(counts.values()) == sent + 6
    )


def replica_down(topo: Topology, check: Check) -> None:
    import requests

    paper = public_paper(topo)
    topo.replica.stop()
    statuses, times = Counter(), []
    for path in ["/", "/statements/", f"/statements/{paper.slug}/"] * 4:
        fresh_public_pages()
        started = time.monotonic()
        response = requests.get(f"{topo.lb}{path}", timeout=20)
        times.append(time.monotonic() - started)
        statuses[response.status_code] += 1
    check.figures.update(
        pages=len(times),
        status=dict(statuses),
        slowest_s=round(max(times), 2),
        median_s=round(sorted(times)[len(times) // 2], 3),
    )
    check.notes.append("each web process tries the replica again after 10 s")
    check.ok = statuses == {200: len(times)}


CHECKS = [
    ("Sessions across web hosts", sessions_across_hosts),
    ("Rate limit shared by both web hosts", rate_limit_shared),
    ("Outbox: two workers, each mail once", outbox_two_workers),
    ("Public pages from the replica, lag handled", replica_serves_public_pages),
    ("Web host SIGKILLed under steady load", kill_web_host),
    ("Worker SIGKILLed mid-batch", kill_worker_mid_batch),
    ("Beat: each tick runs once, deadlines once", beat_runs_once),
    ("Replica down: public pages from the primary", replica_down),
]


def report(checks: list[Check], setup: float, total: float) -> str:
    lines = [f"Scale test: setup {setup:.1f} s, total {total:.1f} s", ""]
    for c in checks:
        lines.append(f"{'ok  ' if c.ok else 'FAIL'} {c.name} ({c.seconds:.1f} s)")
        for key, value in c.figures.items():
            lines.append(f"       {key}: {value}")
        for note in c.notes:
            lines.append(f"       - {note}")
    passed = sum(c.ok for c in checks)
    lines.append("")
    lines.append(f"{passed}/{len(checks)} checks passed")
    return "\n".join(lines)


def main() -> int:
    if os.geteuid() != 0:
        print("The scale test needs root (network namespaces).", file=sys.stderr)
        return 2
    # A CI timeout's SIGTERM unwinds like an error, so `finally` still takes it all down.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.monotonic()
    only = sys.argv[1] if len(sys.argv) > 1 else ""
    topo = Topology()
    checks: list[Check] = []
    setup = 0.0
    try:
        topo.start()
        topo.configure_harness()
        setup = time.monotonic() - started
        print(f"topology up in {setup:.1f} s: {topo.net.hosts}", flush=True)
        for name, run in CHECKS:
            if only and not any(part in run.__name__ for part in only.split(",")):
                continue
            check = Check(name)
            began = time.monotonic()
            try:
                from django.db import connection

                connection.close()
                run(topo, check)
            except Exception as exc:  # noqa: BLE001 - reported, the others still run
                traceback.print_exc()
                check.notes.append(f"crashed: {type(exc).__name__}: {' '.join(str(exc).split())}")
            check.seconds = time.monotonic() - began
            checks.append(check)
            print(f"{'ok  ' if check.ok else 'FAIL'} {name}: {check.figures}", flush=True)
    except Exception:  # noqa: BLE001 - the topology itself failed: say so, clean up
        traceback.print_exc()
        for proc in topo.procs.values():
            if proc.proc is not None and not proc.alive():
                print(f"--- {proc.name} exited:\n{proc.log()[-2000:]}", file=sys.stderr)
    finally:
        if not checks or any(not c.ok for c in checks):
            for proc in topo.procs.values():
                print(f"--- {proc.name} log tail:\n{proc.log()[-1500:]}", file=sys.stderr)
        if os.environ.get("RTM_SCALE_KEEP_LOGS"):  # for a closer look after the run
            keep = Path(os.environ["RTM_SCALE_KEEP_LOGS"])
            for proc in topo.procs.values():
                (keep / f"{proc.name}.log").write_text(proc.log())
            for pg in (topo.primary, topo.replica):
                if pg is not None and pg.logfile.exists():
                    (keep / f"postgres-{pg.host}.log").write_text(pg.logfile.read_text())
        topo.stop()
    print()
    print(report(checks, setup, time.monotonic() - started))
    expected = [n for n, r in CHECKS if not only or any(p in r.__name__ for p in only.split(","))]
    return 0 if checks and len(checks) == len(expected) and all(c.ok for c in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
