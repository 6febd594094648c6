"""Delete press documents of superseded versions (public.documents.documents_prune).

Each PDF/DOCX is kept under a key over everything printed; a new revision, co-signer,
retraction or letterhead writes a new file and leaves the old one behind. Run it from cron
or after a restore (docs/deployment.md); it is safe while the site serves documents.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand

from public.documents import documents_prune


class Command(BaseCommand):
    help = "Delete press documents (PDF, DOCX) of superseded versions and non-public papers."

    def add_arguments(self, parser: object) -> None:
        parser.add_argument(  # type: ignore[attr-defined]
            "--grace-minutes",
            type=int,
            default=60,
            help="Keep files younger than this (default 60): they may be in use.",
        )

    def handle(self, *args: object, **options: object) -> None:
        minutes = int(options["grace_minutes"])  # type: ignore[call-overload]
        result = documents_prune(grace=dt.timedelta(minutes=minutes))
        self.stdout.write(f"removed {result.removed} file(s), kept {result.kept}")
