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
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.realservices import free_port, wait_for_port

COUNT = 2000


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
        statement = statement_create(
            author=author,
            message="Bench",
            text=TextFields(
                title="Bezahlkarte: Bargeldgrenze aufheben",
                occasion="Bench",
                summary="Zusammenfassung",
                body="Erster Absatz.\n\nZweiter Absatz.",
            ),
        )
        from django.db import transaction

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
        rows = Notification.objects.filter(channel=Channel.EMAIL, status=Status.PENDING).count()

        started, cpu = time.perf_counter(), time.process_time()
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
        started, cpu = time.perf_counter(), time.process_time()
        smtp = smtplib.SMTP("127.0.0.1", port)
        refused = 0
        for data, rcpt in prepared:
            refused += len(smtp.sendmail(settings.DEFAULT_FROM_EMAIL, [rcpt], data))
        smtp.quit()
        bare, bare_cpu = time.perf_counter() - started, time.process_time() - cpu
        assert refused == 0 and len(prepared) == count
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
        server.terminate()
        server.wait(timeout=10)
        del test_db

    ratio = ours / bare if bare else float("inf")
    load = os.getloadavg()[0]
    print(
        f"notifications: our delivery path, {count} mails: {ours:.2f} s wall, {ours_cpu:.2f} s CPU"
    )
    print(f"notifications: bare smtplib loop, same mails: {bare:.2f} s wall, {bare_cpu:.2f} s CPU")
    print(f"notifications: ratio ours / bare = {ratio:.2f} (load average {load:.1f})")
    return (
        "## Notifications: handing 2,000 mails to an SMTP server\n\n"
        f"Local aiosmtpd server in its own process (Sink handler), {connection.vendor} test "
        f"database, one run, machine load average {load:.1f}.\n\n"
        "| path | wall time | sender CPU | mails/s |\n|---|---|---|---|\n"
        f"| outbox → claim → render (de/en) → two-phase send → mark sent | {ours:.2f} s "
        f"| {ours_cpu:.2f} s | {count / ours:.0f} |\n"
        f"| bare smtplib loop, same pre-rendered messages, one connection | {bare:.2f} s "
        f"| {bare_cpu:.2f} s | {count / bare:.0f} |\n\n"
        f"Ratio ours / bare (wall): **{ratio:.2f}×**. Our path renders every mail from three "
        "templates in the recipient's language, builds the MIME message and commits one UPDATE "
        "per mail before its end of DATA; on a loaded machine that extra CPU is what shows.\n"
    )


if __name__ == "__main__":
    main()
