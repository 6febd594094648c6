"""python manage.py import_mbox FILE: the old list archive as archived posts."""

from __future__ import annotations

import mailbox
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from maillist.archive import read_mbox
from maillist.services import archive_import


class Command(BaseCommand):
    help = "Import an mbox archive of the old mailing list (idempotent on Message-ID)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the mbox file")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            added, skipped = archive_import(messages=read_mbox(str(path)))
        except (mailbox.Error, OSError) as error:
            raise CommandError(f"{path}: {error}") from error
        self.stdout.write(f"{added} messages imported, {skipped} already in the archive")
