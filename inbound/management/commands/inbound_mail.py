"""`manage.py inbound_mail --host 127.0.0.1 --port 8025 [--lmtp]`: receive replies by
SMTP (or LMTP from the local MTA) until stopped."""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand

from inbound.smtp import controller


class Command(BaseCommand):
    help = "Receive replies by e-mail over SMTP or LMTP (aiosmtpd) and process each one."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8025)
        parser.add_argument("--lmtp", action="store_true", help="speak LMTP instead of SMTP")

    def handle(self, *args: Any, host: str, port: int, lmtp: bool, **options: Any) -> None:
        server = controller(host, port, lmtp=lmtp)
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        server.start()
        self.stdout.write(
            f"inbound_mail: {'LMTP' if lmtp else 'SMTP'} on {host}:{port}", ending="\n"
        )
        self.stdout.flush()
        try:
            stop.wait()
        finally:
            server.stop()
