"""Make every cached public page, API answer and feed stale (after a database restore).

The public generation (core/pagecache.py) lives in the cache, not in the database: a
restored database would otherwise be hidden behind pages cached from the state before
it for up to a day. docs/deployment.md's restore runs this; web runs it at each start.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from core import pagecache


class Command(BaseCommand):
    help = "Invalidate the public page cache (run after restoring the database)."

    def handle(self, *args: object, **options: object) -> None:
        pagecache.invalidate_public_pages()
        self.stdout.write("Public page cache invalidated.")
