"""compiletranslations (issue 19, item 6): entries flagged fuzzy ("needs review by a fluent
speaker") go into the .mo only for the languages whose review is pending, never for German
or English; an untranslated entry of a community language reads in English."""

from __future__ import annotations

import gettext
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

DE = """msgid ""
msgstr ""
"Language: de\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

msgid "Abstimmung"
msgstr ""

#, fuzzy
msgid "Entwurf"
msgstr "Skizze"

msgid "Kommentar"
msgstr ""
"""

EN = """msgid ""
msgstr ""
"Language: en\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

msgid "Abstimmung"
msgstr "Vote"

#, fuzzy
msgid "Entwurf"
msgstr "Sketch"

msgid "Kommentar"
msgstr "Comment"

msgid "%(n)s Papier"
msgid_plural "%(n)s Papiere"
msgstr[0] "%(n)s paper"
msgstr[1] "%(n)s papers"
"""

AR = """msgid ""
msgstr ""
"Language: ar\\n"
"Plural-Forms: nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : "
"n%100>=3 && n%100<=10 ? 3 : n%100>=11 && n%100<=99 ? 4 : 5);\\n"

#, fuzzy
msgid "Abstimmung"
msgstr "تصويت"

msgid "Entwurf"
msgstr "مسودة"

msgid "Kommentar"
msgstr ""

msgid "%(n)s Papier"
msgid_plural "%(n)s Papiere"
msgstr[0] ""
msgstr[1] ""
msgstr[2] ""
msgstr[3] ""
msgstr[4] ""
msgstr[5] ""
"""


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    for language, text in (("de", DE), ("en", EN), ("ar", AR)):
        folder = tmp_path / "app" / "locale" / language / "LC_MESSAGES"
        folder.mkdir(parents=True)
        (folder / "django.po").write_text(text, encoding="utf-8")
    return tmp_path


def compiled(checkout: Path, language: str) -> gettext.GNUTranslations:
    with (checkout / "app" / "locale" / language / "LC_MESSAGES" / "django.mo").open("rb") as f:
        return gettext.GNUTranslations(f)


def compile_with(checkout: Path, pending: list[str]) -> None:
    with override_settings(BASE_DIR=checkout, RTM_REVIEW_PENDING_LANGUAGES=pending):
        call_command("compiletranslations", "--force", stdout=StringIO())


def test_fuzzy_entries_of_a_review_pending_language_are_used(checkout):
    compile_with(checkout, ["ar"])
    arabic = compiled(checkout, "ar")
    assert arabic.gettext("Abstimmung") == "تصويت"  # fuzzy, review pending: shown
    assert arabic.gettext("Entwurf") == "مسودة"


def test_german_and_english_never_use_fuzzy_entries(checkout):
    compile_with(checkout, ["ar", "de", "en"])  # even if someone lists them
    assert compiled(checkout, "en").gettext("Entwurf") == "Entwurf"  # not "Sketch"
    assert compiled(checkout, "de").gettext("Entwurf") == "Entwurf"  # not "Skizze"
    assert compiled(checkout, "en").gettext("Abstimmung") == "Vote"


def test_once_reviewed_fuzzy_entries_are_left_out(checkout):
    """A language off the list compiles only entries a reviewer has cleared; the others
    read in English."""
    compile_with(checkout, [])
    arabic = compiled(checkout, "ar")
    assert arabic.gettext("Abstimmung") == "Vote"  # still fuzzy: the English one
    assert arabic.gettext("Entwurf") == "مسودة"  # reviewed (no flag)


def test_untranslated_entries_fall_back_to_english_not_german(checkout):
    compile_with(checkout, ["ar"])
    arabic = compiled(checkout, "ar")
    assert arabic.gettext("Kommentar") == "Comment"
    # Plurals: the English singular where Arabic uses the form for 1, else the plural.
    assert arabic.ngettext("%(n)s Papier", "%(n)s Papiere", 1) == "%(n)s paper"
    for n in (0, 2, 5, 11, 100):
        assert arabic.ngettext("%(n)s Papier", "%(n)s Papiere", n) == "%(n)s papers", n


def test_the_real_catalogues_compile_for_every_language(settings):
    """The project's own catalogues: a community language's interface is in that
    language where translated (fuzzy or not) and English elsewhere, never German."""
    from django.utils import translation

    for language in ("ar", "fa", "uk", "ru", "tr"):
        with translation.override(language):
            for msgid in ("Positionen", "Anmelden", "Zum Inhalt springen", "Abmelden"):
                shown = translation.gettext(msgid)
                assert shown != msgid, (language, msgid)
