"""The translation catalogues are complete and well-formed (the English UI relies on them)."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(
    p
    for pattern in ("*/locale/*/LC_MESSAGES/django.po", "*/locale_*/*/LC_MESSAGES/django.po")
    for p in ROOT.glob(pattern)
    if ".venv" not in p.parts
) + sorted(ROOT.glob("locale/*/LC_MESSAGES/django.po"))


def language_of(path: Path) -> str:
    return path.parent.parent.name


# gettext's (and Django's own catalogues') plural rules; Babel writes nplurals=1 for fa and
# tr and orders the Arabic forms differently, so the header is checked here.
PLURAL_FORMS = {
    "de": "nplurals=2; plural=(n != 1);",
    "en": "nplurals=2; plural=(n != 1);",
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
    "n%100>=11 && n%100<=99 ? 4 : 5);",
    "fa": "nplurals=2; plural=(n > 1);",
    "tr": "nplurals=2; plural=(n > 1);",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);",
    "uk": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);",
}


def test_there_are_catalogues_for_every_interface_language():
    assert {language_of(p) for p in CATALOGUES} == set(dict(settings.LANGUAGES))
    assert len(CATALOGUES) >= 16


def test_every_app_catalogue_exists_in_every_language():
    """An app's German catalogue has a sibling in each interface language (the community
    languages' ones are written by i18n import from the German one)."""
    german = [p for p in CATALOGUES if language_of(p) == "de" and "locale_" not in str(p)]
    for path in german:
        for code, _name in settings.LANGUAGES:
            sibling = Path(str(path).replace("/locale/de/", f"/locale/{code}/"))
            assert sibling.exists(), sibling


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_header_and_placeholders(path):
    text = path.read_text(encoding="utf-8")
    # A fuzzy header is ignored by the compilers; without Plural-Forms plurals may break.
    assert f'"Language: {language_of(path)}\\n"' in text
    assert f'"Plural-Forms: {PLURAL_FORMS[language_of(path)]}\\n"' in text
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale=language_of(path))
    assert not catalogue.fuzzy, "the header is marked fuzzy"
    problems = [
        (message.id, [str(e) for e in errors])
        for message, errors in catalogue.check()
        if errors and message.string
    ]
    assert not problems, problems


@pytest.mark.parametrize(
    "path",
    [p for p in CATALOGUES if language_of(p) == "en"],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_english_catalogue_is_complete(path):
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale="en")
    missing = [
        m.id
        for m in catalogue
        if m.id
        and ("fuzzy" in m.flags or (not m.string if not m.pluralizable else not all(m.string)))
    ]
    assert not missing, f"untranslated or fuzzy: {missing[:10]}"
