"""python manage.py inbound_mail: an SMTP listener (aiosmtpd) for posting to the list
by e-mail. Put it behind the host's MX (or a relay) for the site's domain; each message
to a member's personal posting address becomes a post (maillist/inbound.py)."""

from __future__ import annotations

import importlib
import importlib.util
import signal
import sys
import threading
from importlib.metadata import distribution
from pathlib import Path
from typing import Any

from asgiref.sync import sync_to_async
from django.core.management.base import BaseCommand, CommandError, CommandParser

from maillist.inbound import BOUNCE_LOCAL, InboundRefused, bounces_record, post_from_mail


def smtp_controller_class() -> Any:
    """aiosmtpd's Controller. aiosmtpd imports `public` (the atpublic package), which our
    `public` app shadows: give our module atpublic's two decorators first."""
    ours = importlib.import_module("public")
    if not hasattr(ours, "public"):
        init = Path(str(distribution("atpublic").locate_file("public/__init__.py")))
        spec = importlib.util.spec_from_file_location(
            "_atpublic", init, submodule_search_locations=[str(init.parent)]
        )
        if spec is None or spec.loader is None:
            raise CommandError("atpublic is not installed")
        atpublic = importlib.util.module_from_spec(spec)
        sys.modules["_atpublic"] = atpublic
        spec.loader.exec_module(atpublic)
        ours.public = atpublic.public  # type: ignore[attr-defined]
        ours.private = atpublic.private  # type: ignore[attr-defined]
    from aiosmtpd.controller import Controller

    return Controller


class InboundHandler:
    """Each recipient's message becomes a post, or the answer is 550 with the reason."""

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        for recipient in envelope.rcpt_tos:
            if recipient.lower().startswith(BOUNCE_LOCAL + "@"):
                # A delivery status notification: count the hard bounces, accept it.
                await sync_to_async(bounces_record, thread_sensitive=False)(raw=raw)
                continue
            try:
                await sync_to_async(post_from_mail, thread_sensitive=False)(
                    raw=raw, recipient=recipient
                )
            except InboundRefused as refusal:
                return f"550 5.7.1 {refusal.message}"
        return "250 OK"


class Command(BaseCommand):
    help = "Receive posts to the mailing list over SMTP (aiosmtpd)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8025)

    def handle(self, *args: Any, **options: Any) -> None:
        controller = smtp_controller_class()(
            InboundHandler(), hostname=options["host"], port=options["port"]
        )
        controller.start()
        self.stdout.write(f"listening on {options['host']}:{options['port']}")
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *a: stop.set())
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass
        finally:
            controller.stop()
