"""Compile every .po catalogue to .mo with Babel, so no GNU gettext is needed.

Two rules beyond a plain compile (docs/translations.md):

- Entries flagged ``fuzzy`` ("needs review by a fluent speaker") are compiled only for the
  languages in ``settings.RTM_REVIEW_PENDING_LANGUAGES``: their catalogues were written
  without a fluent speaker and the interface should be usable while the review is pending.
  German and English never use a fuzzy entry (there it means "stale", as gettext intends).
- For every language other than German and the fallback language itself, an entry without
  a (usable) translation is filled with the English one of the same app
  (``settings.RTM_TRANSLATION_FALLBACK``). Our msgids are German; Django would fall back to
  them, and someone who chose Arabic or Ukrainian is likelier to read English than German.
"""

from __future__ import annotations

from gettext import c2py
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand

NEVER_FUZZY = {"de", "en"}


def catalogue_paths(base: Path) -> list[Path]:
    # */locale_*/: extra catalogues in settings.LOCALE_PATHS that makemessages leaves alone.
    paths = (
        sorted(base.glob("*/locale/*/LC_MESSAGES/*.po"))
        + sorted(base.glob("*/locale_*/*/LC_MESSAGES/*.po"))
        + sorted(base.glob("locale/*/LC_MESSAGES/*.po"))
    )
    return [p for p in paths if ".venv" not in p.parts]


def language_of(po_path: Path) -> str:
    return po_path.parent.parent.name


def uses_fuzzy(language: str) -> bool:
    return language not in NEVER_FUZZY and language in settings.RTM_REVIEW_PENDING_LANGUAGES


def _translated(message: object, use_fuzzy: bool) -> bool:
    string = message.string  # type: ignore[attr-defined]
    if "fuzzy" in message.flags and not use_fuzzy:  # type: ignore[attr-defined]
        return False
    return all(string) if isinstance(string, tuple | list) else bool(string)


def compiled_catalogue(po_path: Path) -> Catalog:
    """The catalogue as it goes into the .mo: fuzzy entries kept or dropped for its
    language, gaps filled from the fallback language's catalogue of the same app."""
    language = language_of(po_path)
    use_fuzzy = uses_fuzzy(language)
    with po_path.open("rb") as po_file:
        catalogue = read_po(po_file, locale=language)
    fallback = getattr(settings, "RTM_TRANSLATION_FALLBACK", "")
    fallback_path = po_path.parent.parent.parent / fallback / "LC_MESSAGES" / po_path.name
    if language in {settings.LANGUAGE_CODE, fallback} or not fallback_path.exists():
        fallback_catalogue = None
    else:
        with fallback_path.open("rb") as handle:
            fallback_catalogue = read_po(handle, locale=fallback)
    for message in list(catalogue):
        if not message.id:
            continue
        if _translated(message, use_fuzzy):
            message.flags.discard("fuzzy")  # write_mo(use_fuzzy=False) keeps it then
            continue
        other = fallback_catalogue and fallback_catalogue.get(message.id, context=message.context)
        if other is not None and other and _translated(other, use_fuzzy=False):
            if isinstance(message.id, tuple | list):
                # Plural forms differ per language: the English singular for the form
                # this language uses for 1, the English plural for all others.
                singular, plural = other.string[0], other.string[-1]
                one = c2py(catalogue.plural_expr)(1)
                message.string = tuple(
                    singular if i == one else plural for i in range(catalogue.num_plurals)
                )
            else:
                message.string = other.string
        else:
            message.string = "" if isinstance(message.id, str) else ("",) * catalogue.num_plurals
        message.flags.discard("fuzzy")
    return catalogue


class Command(BaseCommand):
    help = (
        "Compile all locale/*/LC_MESSAGES/*.po files to .mo (pure Python); fuzzy entries only "
        "for RTM_REVIEW_PENDING_LANGUAGES, gaps filled from RTM_TRANSLATION_FALLBACK."
    )

    def add_arguments(self, parser: object) -> None:
        parser.add_argument(  # type: ignore[attr-defined]
            "--force", action="store_true", help="Compile even catalogues whose .mo is newer."
        )

    def handle(self, *args: object, **options: object) -> None:
        count = 0
        base = Path(settings.BASE_DIR)
        for po_path in catalogue_paths(base):
            mo_path = po_path.with_suffix(".mo")
            if not options.get("force") and self._fresh(po_path, mo_path):
                continue
            catalogue = compiled_catalogue(po_path)
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, catalogue, use_fuzzy=False)
            count += 1
        self.stdout.write(f"compiled {count} catalogue(s)")

    @staticmethod
    def _fresh(po_path: Path, mo_path: Path) -> bool:
        """A .mo newer than its .po (and than the fallback catalogue it was filled from)
        needs no new compile. The settings can change without any file changing: run with
        --force after changing RTM_REVIEW_PENDING_LANGUAGES."""
        if not mo_path.exists():
            return False
        newest = po_path.stat().st_mtime
        fallback = getattr(settings, "RTM_TRANSLATION_FALLBACK", "")
        fallback_path = po_path.parent.parent.parent / fallback / "LC_MESSAGES" / po_path.name
        if fallback and fallback_path.exists():
            newest = max(newest, fallback_path.stat().st_mtime)
        return mo_path.stat().st_mtime >= newest
