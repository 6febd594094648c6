"""The fault drill: `make faults` (python -m tests.faults). Not part of `make test`.

Starts its own PostgreSQL cluster, redis-server and SMTP server (aiosmtpd) on free ports,
migrates a fresh database and runs each scenario of issue 21 against them, with time
compressed where the real one would take hours (the mail retry window, beat's absence).
Prints per scenario: stored, sent, delivered, duplicates, lost, silent, 5xx and whether it
recovered without a person, and with --record writes the table into docs/reliability.md.

Requests go through Django's full middleware stack in this process (the test client),
with `close_old_connections()` before each one as gunicorn's request cycle does. The
worker scenario uses a real `celery worker` subprocess, SIGKILLed mid-batch.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "docs" / "reliability.md"
MARK = "<!-- faults:last-run -->"


@dataclass
class Result:
    scenario: str
    stored: int = 0
    sent: int = 0
    delivered: int = 0
    duplicates: int = 0
    lost: int = 0
    silent: int = 0
    errors_5xx: int = 0
    needs_person: int = 0
    late_deadlines: int = 0
    recovered: bool = False
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return (
            self.recovered
            and not (self.lost or self.silent or self.errors_5xx)
            and not (self.needs_person or self.late_deadlines)
        )


def configure(pg, redis, smtp, var: str) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="rtm_workflow.settings",
        DEBUG="true",
        ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        RTM_MFA_REQUIRED="false",
        DATABASE_URL=pg.url,
        REDIS_URL=redis.url,
        CELERY_BROKER_URL=redis.url,
        CELERY_TASK_ALWAYS_EAGER="false",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp.port),
        EMAIL_USE_TLS="false",
        EMAIL_TIMEOUT="5",
        # Time compressed: 1 s instead of the RFC's 10 minutes, no grace period.
        RTM_MAIL_FINAL_REPLY_SECONDS="1",
        RTM_MAIL_UNANSWERED_GRACE_MINUTES="0",
        RTM_VAR_DIR=var,
        LOG_LEVEL="ERROR",
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # Imported with DEBUG on (local static files, the development key); answered with it
    # off, so errors reach handler500 as in production instead of the debug page.
    settings.DEBUG = False

    call_command("migrate", verbosity=0, interactive=False)


# --- helpers -------------------------------------------------------------------------


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


def quiet_outbox() -> None:
    """Earlier scenarios' mail is done with: only this scenario's rows count."""
    from notifications.models import Channel, Notification, Status

    Notification.objects.filter(channel=Channel.EMAIL).exclude(status=Status.SENT).update(
        status=Status.SKIPPED
    )


def scenario_rows(since_pk: int):
    from notifications.models import Channel, Notification

    return Notification.objects.filter(channel=Channel.EMAIL, pk__gt=since_pk)


def last_pk() -> int:
    from notifications.models import Notification

    return Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def mail_figures(result: Result, smtp, since_pk: int) -> None:
    from notifications.models import Status

    # Digest items and rows with nothing to send (hidden, superseded) are not due as mail.
    rows = scenario_rows(since_pk).exclude(
        status__in=[Status.SKIPPED, Status.DIGEST, Status.DIGESTED]
    )
    ids = {f"<notification-{pk}@127.0.0.1>": pk for pk in rows.values_list("pk", flat=True)}
    confirmed = Counter(m["Message-ID"] for m in smtp.confirmed if m["Message-ID"] in ids)
    result.stored = rows.count()
    result.sent = rows.filter(status=Status.SENT).count()
    result.delivered = len(confirmed)
    result.duplicates = sum(n - 1 for n in confirmed.values())
    sent_ids = {
        f"<notification-{pk}@127.0.0.1>"
        for pk in rows.filter(status=Status.SENT).values_list("pk", flat=True)
    }
    result.silent = len(sent_ids - set(confirmed))
    result.lost = result.stored - result.delivered - result.silent
    result.needs_person = rows.filter(status=Status.FAILED).count()


def advance_outbox(delta: timedelta) -> None:
    """Compress time: everything the outbox waits for comes `delta` sooner."""
    from django.db.models import F

    from notifications.models import Notification

    Notification.objects.update(
        next_attempt_at=F("next_attempt_at") - delta, created_at=F("created_at") - delta
    )
    Notification.objects.filter(retry_until__isnull=False).update(
        retry_until=F("retry_until") - delta
    )


def request(client, method: str, url: str, data=None):
    from django.db import close_old_connections

    close_old_connections()  # what gunicorn's request cycle does first
    if method == "post":
        response = client.post(
            url, urlencode(data or {}), content_type="application/x-www-form-urlencoded"
        )
    else:
        response = client.get(url, data or {})
    close_old_connections()
    return response


# --- scenarios ------------------------------------------------------------------------


def smtp_silent_after_data(ctx) -> Result:
    """The server takes each message and never answers its end (three in a row)."""
    from notifications import services

    result = Result("SMTP silent after data")
    smtp = ctx["smtp"]
    quiet_outbox()
    since = last_pk()
    members(20, "silent")
    from tests.factories import make_statement

    make_statement(state="consultation", title="Stille nach den Daten")
    smtp.mode = "hang"
    for _ in range(3):
        services.outbox_deliver()
    result.notes.append(
        f"{len(smtp.received)} taken without a reply, each sent again with its Message-ID "
        "(possible duplicates at a receiver that kept them)"
    )
    smtp.mode = "ok"
    for _ in range(5):
        services.outbox_sweep()
        services.outbox_deliver()
    mail_figures(result, smtp, since)
    result.recovered = result.sent == result.stored and not result.needs_person
    return result


def smtp_421_long(ctx) -> Result:
    """421 for 30 simulated hours, then the server is back."""
    from notifications import services
    from notifications.models import Status

    result = Result("SMTP 421 for 30 h")
    smtp = ctx["smtp"]
    quiet_outbox()
    since = last_pk()
    members(20, "busy")
    from tests.factories import make_statement

    make_statement(state="consultation", title="Lange 421")
    smtp.mode = "421"
    simulated = timedelta()
    runs = 0
    while simulated < timedelta(hours=30):
        services.outbox_deliver()
        runs += 1
        advance_outbox(timedelta(hours=1))
        simulated += timedelta(hours=1)
    failed_during = scenario_rows(since).filter(status=Status.FAILED).count()
    attempts = sorted(scenario_rows(since).values_list("attempts", flat=True))
    result.notes.append(f"{runs} runs; attempts per row {attempts[0]}–{attempts[-1]}")
    smtp.mode = "ok"
    advance_outbox(timedelta(hours=1))
    services.outbox_sweep()
    services.outbox_deliver()
    mail_figures(result, smtp, since)
    result.needs_person += failed_during
    result.recovered = result.sent == result.stored and not failed_during
    return result


def redis_killed(ctx) -> Result:
    """Redis (cache and broker) killed during logins and comments, back later."""
    from django.test import Client

    from discussion.models import Comment
    from notifications import services
    from tests.factories import UserFactory, make_statement

    result = Result("Redis killed during logins and comments")
    redis, smtp = ctx["redis"], ctx["smtp"]
    quiet_outbox()
    since = last_pk()
    paper = make_statement(state="consultation", title="Redis weg")
    people = [UserFactory() for _ in range(4)]
    acknowledged = logged_in = 0
    before = Comment.objects.count()
    for step in range(24):
        if step == 6:
            redis.stop()
        if step == 18:
            redis.start()
        person = people[step % len(people)]
        client = Client(raise_request_exception=False)
        login = request(
            client,
            "post",
            "/accounts/login/",
            {"login": person.email, "password": "rtm-test-pass-2026"},
        )
        comment = request(
            client, "post", f"/statements/{paper.slug}/comments/", {"body": f"Kommentar {step}"}
        )
        for response in (login, comment):
            if response.status_code >= 500:
                result.errors_5xx += 1
        if comment.status_code == 302:
            acknowledged += 1
        if login.status_code == 302:
            logged_in += 1
    stored = Comment.objects.count() - before
    result.notes.append(
        f"Redis down for 12 of 24 rounds; {logged_in}/24 logins, "
        f"{acknowledged} comments acknowledged, {stored} stored"
    )
    services.outbox_sweep()
    services.outbox_deliver()
    mail_figures(result, smtp, since)
    result.lost += acknowledged - stored
    result.recovered = (
        stored == acknowledged == 24 and logged_in == 24 and result.sent == result.stored
    )
    return result


def postgres_killed(ctx) -> Result:
    """PostgreSQL crashes (immediate shutdown) during votes and saves and restarts."""
    from django.db import connection
    from django.test import Client

    from statements.models import Revision
    from tests.factories import UserFactory, make_statement
    from voting.models import Vote

    result = Result("PostgreSQL killed during votes and saves")
    pg = ctx["pg"]
    author = UserFactory()
    voters = [UserFactory() for _ in range(12)]  # members when the vote opens: eligible
    voting = make_statement(author=author, state="voting", title="Abstimmung im Absturz")
    draft = make_statement(author=author, state="draft", title="Entwurf im Absturz")
    clients = []
    for voter in voters:
        client = Client(raise_request_exception=False)
        client.force_login(voter)
        clients.append(client)
    writer = Client(raise_request_exception=False)
    writer.force_login(author)
    acknowledged_votes, acknowledged_saves, outage_503 = [], 0, 0
    for step, (voter, client) in enumerate(zip(voters, clients, strict=True)):
        if step == 4:
            pg.crash()
        if step == 8:
            pg.start()
        vote = request(client, "post", f"/statements/{voting.slug}/vote/", {"choice": "yes"})
        draft.refresh_from_db() if step not in range(4, 8) else None
        save = request(
            writer,
            "post",
            f"/statements/{draft.slug}/edit/",
            {
                "title": draft.title,
                "occasion": draft.occasion,
                "summary": draft.summary,
                "body": f"Absatz {step}.",
                "message": f"Fassung {step}",
                "base_revision": draft.current_revision_id,
                "language": "de",
            },
        )
        for response in (vote, save):
            if response.status_code == 503 and 4 <= step < 8:
                outage_503 += 1
                if "Retry-After" not in response:
                    result.errors_5xx += 1
            elif response.status_code >= 500:
                result.errors_5xx += 1
        if vote.status_code == 302:
            acknowledged_votes.append(voter.pk)
        if save.status_code == 302:
            acknowledged_saves += 1
    connection.close()
    stored_votes = set(
        Vote.objects.filter(ballot__statement=voting).values_list("voter_id", flat=True)
    )
    revisions = Revision.objects.filter(statement=draft).count() - 1
    result.stored = len(stored_votes) + revisions
    result.sent = len(acknowledged_votes) + acknowledged_saves
    result.lost = len(set(acknowledged_votes) - stored_votes) + max(
        0, acknowledged_saves - revisions
    )
    result.notes.append(
        f"{outage_503} answers 503 + Retry-After during the outage; "
        f"{len(acknowledged_votes)} votes and {acknowledged_saves} saves acknowledged"
    )
    result.recovered = len(acknowledged_votes) == 8 and acknowledged_saves == 8
    return result


def worker_sigkill(ctx) -> Result:
    """A real mail worker SIGKILLed in the middle of a batch of 300."""
    from notifications import services
    from tests.factories import make_statement
    from tests.realservices import WorkerProcess

    result = Result("Mail worker SIGKILLed mid-batch")
    smtp, redis = ctx["smtp"], ctx["redis"]
    quiet_outbox()
    since = last_pk()
    members(300, "kill")
    make_statement(state="consultation", title="Arbeiter getötet")
    worker = WorkerProcess(
        redis.url,
        extra_env={
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp.port),
            "EMAIL_USE_TLS": "false",
        },
        queues="mail",
    )
    start = len(smtp.confirmed)
    worker.start()
    from notifications.tasks import deliver_pending

    deliver_pending.delay()
    deadline = time.monotonic() + 60
    while len(smtp.confirmed) - start < 60 and time.monotonic() < deadline:
        time.sleep(0.01)
    worker.kill()
    result.notes.append(f"killed after {len(smtp.confirmed) - start} confirmed")
    # The sweep after the lease: what the dead worker held is sent by the next run.
    services.outbox_sweep(now=datetime.now(UTC) + timedelta(seconds=services.LEASE_SECONDS + 60))
    from django.utils import timezone

    from notifications.models import Status

    in_flight = (
        scenario_rows(since)
        .filter(status=Status.PENDING, last_error__startswith="the delivering worker stopped")
        .count()
    )
    scenario_rows(since).filter(status=Status.PENDING).update(next_attempt_at=timezone.now())
    services.outbox_deliver()
    mail_figures(result, smtp, since)
    result.notes.append(
        f"{in_flight} marked sent without a recorded reply at the kill, sent again with "
        "their Message-ID"
    )
    result.recovered = result.sent == result.stored
    return result


def beat_down_two_days(ctx) -> Result:
    """Beat is down for two days past a voting deadline and an embargo, then returns."""
    from django.utils import timezone

    from statements.models import Statement
    from statements.states import State
    from tests.factories import UserFactory, make_statement
    from voting.testing import set_voting_deadline
    from workflow import services
    from workflow.models import AuditEntry

    result = Result("Beat down two days past a deadline and an embargo")
    coordinator = UserFactory(is_coordinator=True)
    vote = make_statement(state="voting", title="Frist verpasst")
    set_voting_deadline(statement=vote, when=timezone.now() - timedelta(days=2))
    embargoed = make_statement(state="accepted", title="Sperrfrist verpasst")
    Statement.objects.filter(pk=embargoed.pk).update(publish_at=timezone.now() - timedelta(days=2))
    del coordinator
    # Beat is back: its first due-work run (and a duplicate of it) catch up.
    services.run_due_work()
    services.run_due_work()
    vote.refresh_from_db()
    embargoed.refresh_from_db()
    closes = AuditEntry.objects.filter(statement=vote, transition="close_vote").count()
    publishes = AuditEntry.objects.filter(statement=embargoed, transition="publish").count()
    result.stored = 2
    result.sent = closes + publishes
    result.duplicates = max(0, closes - 1) + max(0, publishes - 1)
    result.late_deadlines = int(vote.state == State.VOTING) + int(
        embargoed.state != State.PUBLISHED
    )
    result.recovered = closes == 1 and publishes == 1 and not result.late_deadlines
    result.notes.append("caught up in the first due-work run (every 60 s) after beat returns")
    return result


def backup_and_restore(ctx) -> Result:
    """pg_dump, more changes, restore per docs/deployment.md: rows and public pages."""
    from django.apps import apps
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from statements.models import Statement
    from tests.factories import UserFactory, make_statement

    result = Result("Backup and restore per docs/deployment.md")
    pg = ctx["pg"]
    coordinator = UserFactory(is_coordinator=True)
    paper = make_statement(state="published", title="Vor der Sicherung")
    del coordinator

    def counts() -> dict[str, int]:
        return {
            model._meta.label: model.objects.count()
            for model in apps.get_models()
            if model._meta.app_label
            in {"accounts", "statements", "discussion", "voting", "workflow", "notifications"}
        }

    before = counts()
    url = f"/statements/{paper.slug}/"
    assert "Vor der Sicherung" in Client().get(url).content.decode()
    dump = pg.dir / "backup.dump"
    connection.close()
    pg.dump(dump)
    # Life goes on after the backup …
    Statement.objects.filter(pk=paper.pk).update(title="Nach der Sicherung")
    make_statement(state="consultation", title="Neu nach der Sicherung")
    call_command("clear_public_cache", verbosity=0, stdout=StringIO())
    assert "Nach der Sicherung" in Client().get(url).content.decode()
    # … then the restore, as documented.
    connection.close()
    pg.restore(dump)
    call_command("clear_public_cache", stdout=StringIO())
    after = counts()
    differing = {label for label in before if before[label] != after.get(label)}
    result.stored = sum(before.values())
    result.sent = sum(after.values())
    result.lost = sum(max(0, before[k] - after.get(k, 0)) for k in before)
    page = Client().get(url).content.decode()
    stale = "Nach der Sicherung" in page
    result.silent = int(stale)
    result.notes.append(
        f"{len(before)} tables compared, {len(differing)} differ; public page "
        + ("stale" if stale else "shows the restored state")
    )
    result.recovered = not differing and not stale
    return result


def gunicorn_after_postgres_restart(ctx) -> Result:
    """Real gunicorn (2 workers, persistent connections): PostgreSQL restarts between
    requests. Each worker's first request afterwards used to be a 500."""
    import subprocess
    import urllib.error
    import urllib.request

    from tests.realservices import free_port, wait_for_port

    result = Result("gunicorn after a PostgreSQL restart")
    pg, redis = ctx["pg"], ctx["redis"]
    port = free_port()
    env = dict(os.environ)
    # The probe sends uncached searches (a new query each time) from one address: lift the
    # search rate limit, or its 429s would hide what this scenario looks for (5xx).
    env.update(
        DEBUG="true",
        DATABASE_URL=pg.url,
        REDIS_URL=redis.url,
        DB_CONN_MAX_AGE="600",
        RTM_RATE_LIMIT_SEARCH="100000/m",
    )
    log = pg.dir / "gunicorn.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "rtm_workflow.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--timeout",
                "30",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    counter = iter(range(10**6))

    def search() -> int:
        # A new search each time: never a cached page, always a query.
        url = f"http://127.0.0.1:{port}/statements/?q=suche{next(counter)}"
        try:
            with urllib.request.urlopen(url, timeout=20) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    try:
        wait_for_port(port, timeout=30)
        warm = [search() for _ in range(20)]
        pg.crash()
        pg.start()
        after = [search() for _ in range(20)]
    finally:
        server.terminate()
        server.wait(timeout=30)
    result.stored = result.sent = len(after)
    result.errors_5xx = sum(code >= 500 for code in warm + after)
    result.notes.append(
        f"status codes before: {dict(Counter(warm))}, after the restart: {dict(Counter(after))} "
        "(DEBUG on: the static files are not collected here)"
    )
    result.recovered = all(code == 200 for code in after)
    return result


SCENARIOS = [
    smtp_silent_after_data,
    smtp_421_long,
    redis_killed,
    postgres_killed,
    gunicorn_after_postgres_restart,
    worker_sigkill,
    beat_down_two_days,
    backup_and_restore,
]


def table(results: list[Result]) -> str:
    head = (
        "| scenario | stored | sent | delivered | duplicates | lost | silent | 5xx | "
        "needs a person | late deadlines | recovered by itself | notes |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|\n"
    )
    rows = [
        f"| {r.scenario} | {r.stored} | {r.sent} | {r.delivered} | {r.duplicates} | {r.lost} | "
        f"{r.silent} | {r.errors_5xx} | {r.needs_person} | {r.late_deadlines} | "
        f"{'yes' if r.recovered else 'NO'} | {'; '.join(r.notes)} ({r.seconds:.1f} s) |"
        for r in results
    ]
    return head + "\n".join(rows) + "\n"


def record(results: list[Result]) -> None:
    text = REPORT.read_text(encoding="utf-8") if REPORT.exists() else ""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    block = f"{MARK}\nLast run: {stamp}.\n\n{table(results)}"
    if MARK in text:
        text = text.split(MARK)[0] + block
    else:
        text = text.rstrip() + "\n\n" + block
    REPORT.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--record", action="store_true", help="write docs/reliability.md")
    parser.add_argument("--only", help="run only scenarios whose function name contains this")
    args = parser.parse_args()

    from tests.faults.services import PrivatePostgres
    from tests.realservices import ControllableSmtp, PrivateRedis

    pg, redis, smtp = PrivatePostgres(), PrivateRedis(), ControllableSmtp()
    var = tempfile.mkdtemp(prefix="rtm-faults-var-")
    results: list[Result] = []
    try:
        pg.init()
        redis.start()
        smtp.start()
        configure(pg, redis, smtp, var)
        ctx = {"pg": pg, "redis": redis, "smtp": smtp}
        for scenario in SCENARIOS:
            if args.only and args.only not in scenario.__name__:
                continue
            from django.db import connection

            connection.close()  # the drill's own connection may not have survived the last one
            started = time.monotonic()
            try:
                result = scenario(ctx)
            except Exception as exc:  # noqa: BLE001 - a broken scenario is reported, not hidden
                traceback.print_exc()
                message = " ".join(str(exc).split())
                result = Result(
                    scenario.__name__, notes=[f"crashed: {type(exc).__name__}: {message}"]
                )
            result.seconds = time.monotonic() - started
            results.append(result)
            print(f"{'ok  ' if result.ok else 'FAIL'} {result.scenario}: {asdict(result)}")
            smtp.mode = "ok"
    finally:
        smtp.stop()
        redis.stop()
        pg.cleanup()
        shutil.rmtree(redis.dir, ignore_errors=True)
        shutil.rmtree(var, ignore_errors=True)
    print()
    print(table(results))
    if args.record:
        record(results)
    return 0 if results and all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
