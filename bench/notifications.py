"""Benchmark: hand 2,000 notification mails to a local SMTP server.

Our path (outbox rows → claim → render per recipient and language → two-phase
send over one SMTP connection → mark sent) against a bare smtplib loop sending
the same 2,000 already-rendered messages over one connection, in the same run.
Runs on a throw-away test database (never the real one).

    python -m bench.notifications          (or through `make bench`)
"""

from __future__ import annotations

import os
import smtplib
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.realservices import free_port, wait_for_port

COUNT = 2000
ROUNDS = int(os.environ.get("RTM_BENCH_ROUNDS", "5"))


def _setup_django() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rtm_workflow.settings_test")
    import django
    from django.conf import settings

    if not settings.configured or not django.apps.apps.ready:
        django.setup()


def main(count: int = COUNT) -> str:
    _setup_django()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment
    from django.utils import timezone

    # The SMTP server runs in its own process (an in-process thread would compete for
    # the GIL with the sender and distort both timings). Its own cwd, so atpublic's
    # `public` module is not shadowed by our app of that name.
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            f"127.0.0.1:{port}",
            "-c",
            "aiosmtpd.handlers.Sink",
        ],
        cwd=tempfile.mkdtemp(prefix="rtm-bench-smtp-"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for_port(port)
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        from accounts.models import User
        from core.events import EventKind
        from notifications import services
        from notifications.models import Channel, Notification, Status
        from statements.services import TextFields, statement_create

        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.CELERY_TASK_ALWAYS_EAGER = True

        author = User.objects.create_user("bench-author@example.org", display_name="Autorin")
        User.objects.bulk_create(
            [
                User(
                    email=f"bench{i}@example.org",
                    display_name=f"Mitglied {i}",
                    language="en" if i % 4 == 0 else "de",
                    membership_status="member",
                    member_since=timezone.now(),
                )
                for i in range(count)
            ]
        )

        def open_event(title: str) -> None:
            """A paper in consultation and its 2,000 pending mails, not yet delivered."""
            from django.db import transaction

            from statements.models import Statement

            statement = statement_create(
                author=author,
                message="Bench",
                text=TextFields(
                    title=title,
                    occasion="Bench",
                    summary="Zusammenfassung",
                    body="Erster Absatz.\n\nZweiter Absatz.",
                ),
            )
            # A draft is visible to its authors only (nobody else is notified): open it.
            Statement.objects.filter(pk=statement.pk).update(state="consultation")
            statement.refresh_from_db()
            with transaction.atomic():
                # Delivery is what we time: keep the on-commit task from running it now.
                services.notifications_for_event(
                    kind=EventKind.CONSULTATION_OPENED,
                    statement=statement,
                    actor=author,
                    target=None,
                    extra={},
                )
                transaction.get_connection().run_on_commit = []

        open_event("Bezahlkarte: Bargeldgrenze aufheben")
        rows = Notification.objects.filter(channel=Channel.EMAIL, status=Status.PENDING).count()

        # As a mail worker has done before its first task (rtm_workflow/celery.py).
        from notifications.emails import warm_up

        warm_up()
        started, cpu = time.perf_counter(), time.process_time()
        if os.environ.get("RTM_BENCH_PROFILE"):
            import cProfile

            profile = cProfile.Profile(time.process_time)
            sent = profile.runcall(services.outbox_deliver)
            profile.dump_stats(os.environ["RTM_BENCH_PROFILE"])
        else:
            sent = services.outbox_deliver()
        ours, ours_cpu = time.perf_counter() - started, time.process_time() - cpu
        assert sent == rows == count, (sent, rows, count)

        # The same messages, rendered the same way, for the bare loop (untimed).
        from notifications import emails

        rows_sent = list(
            Notification.objects.filter(channel=Channel.EMAIL)
            .select_related("recipient", "statement")
            .order_by("pk")
        )
        loaded = emails.Loaded(rows_sent)
        prepared = []
        for row in rows_sent:
            message = emails.build(row, loaded)
            prepared.append((message.message().as_bytes(linesep="\r\n"), row.recipient.email))

        def bare_loop() -> tuple[float, float]:
            started, cpu = time.perf_counter(), time.process_time()
            smtp = smtplib.SMTP("127.0.0.1", port)
            refused = 0
            for data, rcpt in prepared:
                refused += len(smtp.sendmail(settings.DEFAULT_FROM_EMAIL, [rcpt], data))
            smtp.quit()
            assert refused == 0 and len(prepared) == count
            return time.perf_counter() - started, time.process_time() - cpu

        bare, bare_cpu = bare_loop()
        # The production path: the event's tasks on the "mail" queue, served by a real
        # prefork worker (PostgreSQL only: the worker needs the same test database), in
        # rounds, each next to a bare loop of its own.
        parallel = None
        if connection.vendor == "postgresql":
            parallel = _parallel_rounds(open_event, bare_loop, port, count, ROUNDS)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
        server.terminate()
        server.wait(timeout=10)
        del test_db

    ratio = ours / bare if bare else float("inf")
    if parallel is not None:
        tasks, workers, rounds = parallel
        ratios = sorted(wall / base for wall, base in rounds)
        print(
            "notifications: rounds (parallel s, bare s):",
            [(round(w, 2), round(b, 2)) for w, b in rounds],
        )
        walls = sorted(wall for wall, _ in rounds)
        median = statistics.median(ratios)
        print(
            f"notifications: {tasks} tasks on a {workers}-process worker, {count} mails, "
            f"{len(rounds)} rounds: {statistics.median(walls):.2f} s wall (median), ratio "
            f"{median:.2f} ({ratios[0]:.2f}-{ratios[-1]:.2f}) against the bare loop"
        )
        parallel_row = (
            f"| the event's {tasks} tasks on a real `celery worker` (prefork, concurrency "
            f"{workers}), each over its own SMTP connection; {len(rounds)} rounds, each "
            f"against a bare loop of its own | {statistics.median(walls):.2f} s "
            f"({walls[0]:.2f}–{walls[-1]:.2f}) | (worker) "
            f"| {count / statistics.median(walls):.0f} | **{median:.2f}×** "
            f"({ratios[0]:.2f}–{ratios[-1]:.2f}) |\n"
        )
    else:
        parallel_row = (
            "| parallel tasks on a real worker | not measured (needs PostgreSQL) | | | |\n"
        )
    load = os.getloadavg()[0]
    print(
        f"notifications: our delivery path, {count} mails: {ours:.2f} s wall, {ours_cpu:.2f} s CPU"
    )
    print(f"notifications: bare smtplib loop, same mails: {bare:.2f} s wall, {bare_cpu:.2f} s CPU")
    print(f"notifications: ratio ours / bare = {ratio:.2f} (load average {load:.1f})")
    return (
        "## Notifications: handing 2,000 mails to an SMTP server\n\n"
        f"Local aiosmtpd server in its own process (Sink handler), {connection.vendor} test "
        f"database, machine load average {load:.1f}. Median and spread (min–max) over the "
        "rounds.\n\n"
        "| path | wall time | sender CPU | mails/s | against the bare loop |\n"
        "|---|---|---|---|---|\n"
        f"| one task: outbox → claim → render once per kind and language, substitute per "
        f"recipient → two-phase send → mark sent | {ours:.2f} s | {ours_cpu:.2f} s "
        f"| {count / ours:.0f} | {ratio:.2f}× |\n"
        + parallel_row
        + f"| bare smtplib loop, same pre-rendered messages, one connection | {bare:.2f} s "
        f"| {bare_cpu:.2f} s | {count / bare:.0f} | 1× |\n\n"
        "Every mail is still committed as sent before its end of DATA, in one autocommitted "
        "statement that also records the previous mail's reply (a crashed worker's mail in "
        'flight is sent again with its Message-ID, docs/architecture.md "Mail"); rendering '
        "is shared (notifications/fanout.py), and a large event is split over several tasks "
        "(RTM_MAIL_PARALLEL, RTM_MAIL_CHUNK) that claim their batches with SKIP LOCKED.\n"
    )


def _parallel_rounds(
    open_event, bare_loop, smtp_port: int, count: int, rounds: int
) -> tuple[int, int, list[tuple[float, float]]]:
    """Deliver `rounds` more events of `count` mails through a real worker, each round
    beside a bare loop: (tasks, processes, [(wall s, bare s)])."""
    from notifications import services
    from notifications.models import Channel, Notification, Status
    from notifications.tasks import deliver_pending
    from rtm_workflow.celery import app
    from tests.realservices import PrivateRedis, WorkerProcess

    redis = PrivateRedis()
    redis.start()
    workers = int(os.environ.get("CELERY_MAIL_CONCURRENCY", "4"))  # as in docker-compose.yml
    worker = WorkerProcess(
        redis.url,
        extra_env={
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "EMAIL_USE_TLS": "false",
        },
        concurrency=workers,
        queues="mail",
    )
    results: list[tuple[float, float]] = []
    tasks = 0
    try:
        worker.start()
        app.conf.update(task_always_eager=False, broker_url=redis.url)
        app._pool = None
        app.amqp._producer_pool = None
        for n in range(rounds):
            open_event(f"Wohnsitzauflage: Folgen für Familien ({n + 1})")
            pending = Notification.objects.filter(channel=Channel.EMAIL, status=Status.PENDING)
            event_key = pending.values_list("event_key", flat=True).first()
            tasks = services.delivery_tasks(pending.count())
            bare, _cpu = bare_loop()
            started = time.perf_counter()
            for _ in range(tasks):
                deliver_pending.delay(event_key=event_key)
            deadline = started + 300
            while pending.exists() or Notification.objects.filter(status=Status.SENDING).exists():
                if time.perf_counter() > deadline:
                    raise TimeoutError("parallel delivery did not finish:\n" + worker.output())
                time.sleep(0.02)
            results.append((time.perf_counter() - started, bare))
        sent = Notification.objects.filter(channel=Channel.EMAIL, status=Status.SENT).count()
        assert sent == (rounds + 1) * count, (sent, count, worker.output())  # every event
        return tasks, workers, results
    finally:
        app.conf.update(task_always_eager=True)
        worker.stop()
        redis.stop()


if __name__ == "__main__":
    main()
