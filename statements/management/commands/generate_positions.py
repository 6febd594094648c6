"""python manage.py generate_positions --count 5000 (see statements/generate.py)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandParser

from core.pagecache import invalidate_public_pages
from statements.generate import generate_positions


class Command(BaseCommand):
    help = (
        "Make sure COUNT published positions with realistic German text exist "
        "(labelled generiert-00001 …; idempotent). For measurements, not for production."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument("--words", type=int, default=1000, help="words per body (about)")

    def handle(self, *args: object, count: int, words: int, **options: object) -> None:
        started = time.monotonic()
        added = generate_positions(
            count, words=words, progress=lambda line: self.stdout.write(f"  {line}")
        )
        if added:
            invalidate_public_pages()
        self.stdout.write(
            self.style.SUCCESS(
                f"{added} positions added ({count} wanted) in {time.monotonic() - started:.1f} s."
            )
        )
