"""Compile every .po catalogue to .mo with Babel, so no GNU gettext is needed."""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile all locale/*/LC_MESSAGES/*.po files to .mo (pure Python)."

    def handle(self, *args: object, **options: object) -> None:
        count = 0
        base = Path(settings.BASE_DIR)
        # */locale_*/: extra catalogues in settings.LOCALE_PATHS that makemessages leaves alone.
        for po_path in (
            sorted(base.glob("*/locale/*/LC_MESSAGES/*.po"))
            + sorted(base.glob("*/locale_*/*/LC_MESSAGES/*.po"))
            + sorted(base.glob("locale/*/LC_MESSAGES/*.po"))
        ):
            if ".venv" in po_path.parts:
                continue
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file, locale=po_path.parent.parent.name)
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, catalog, use_fuzzy=False)
            count += 1
        self.stdout.write(f"compiled {count} catalogue(s)")
