"""`manage.py poll_imap`: process the unseen messages of the configured mailbox once
(RTM_IMAP_*; beat runs the same every RTM_IMAP_POLL_SECONDS)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from inbound.imap import poll


class Command(BaseCommand):
    help = "Fetch unseen replies from the configured IMAP mailbox and process each once."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.RTM_IMAP_HOST:
            raise CommandError("RTM_IMAP_HOST is not set.")
        count = poll()
        self.stdout.write(f"poll_imap: {count} message(s) processed")
