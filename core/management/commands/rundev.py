"""Local run without servers: the web server plus two Celery workers, one with beat for
the default queue (deadlines, reminders) and one for the "mail" queue, as in production.

The worker uses kombu's file-system broker under var/celery/ (see settings), so
deadlines, reminders and mail work locally without Redis. Mail lands in var/mail/.
"""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


def site_url_for(addrport: str) -> str:
    """The URL a browser on this machine uses for runserver's `addrport` ("8013",
    "127.0.0.1:8013", "0.0.0.0:8013", "[::1]:8013")."""
    host, _, port = addrport.rpartition(":")
    if not host:
        host = "127.0.0.1"
    if host in ("0.0.0.0", "0", "[::]"):  # noqa: S104 - reading the address, not binding it
        host = "127.0.0.1"
    return f"http://{host}:{port}"


class Command(BaseCommand):
    help = "Serve http://127.0.0.1:8000 (or ADDRPORT) with a background Celery worker and beat."

    def add_arguments(self, parser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--no-worker", action="store_true")

    def handle(self, *args: object, addrport: str, no_worker: bool, **options: object) -> None:
        if not os.environ.get("SITE_URL"):
            # Links in mails, feeds and print follow the address served here; the worker
            # (a subprocess building the mails) reads the same value from its environment.
            settings.SITE_URL = os.environ["SITE_URL"] = site_url_for(addrport)
            if not os.environ.get("CSRF_TRUSTED_ORIGINS"):
                settings.CSRF_TRUSTED_ORIGINS = [settings.SITE_URL]
            self.stdout.write(f"SITE_URL is {settings.SITE_URL} (set SITE_URL to override).")
        for sub in ("celery/queue", "celery/processed", "mail"):
            (settings.VAR_DIR / sub).mkdir(parents=True, exist_ok=True)
        workers: list[subprocess.Popen[bytes]] = []
        if not no_worker:
            log = (settings.VAR_DIR / "celery.log").open("ab")
            for queue, extra in (("celery", ["--beat"]), ("mail", [])):
                workers.append(
                    subprocess.Popen(
                        [
                            sys.executable,
                            "-m",
                            "celery",
                            "-A",
                            "rtm_workflow",
                            "worker",
                            *extra,
                            "--pool=solo",
                            "--loglevel=INFO",
                            "-Q",
                            queue,
                            "-n",
                            f"{queue}@%h",
                        ],
                        env=os.environ.copy(),
                        stdout=log,
                        stderr=subprocess.STDOUT,
                    )
                )
            self.stdout.write(
                "Celery workers (default queue with beat, mail queue) started "
                f"(log: {settings.VAR_DIR / 'celery.log'})."
            )
        mail_to = getattr(settings, "EMAIL_FILE_PATH", "SMTP")
        self.stdout.write(f"Mail is written to {mail_to}.")
        try:
            call_command("runserver", addrport, use_reloader=False)
        finally:
            for worker in workers:
                worker.terminate()
            for worker in workers:
                worker.wait(timeout=10)
