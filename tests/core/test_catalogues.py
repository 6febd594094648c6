"""The translation catalogues are complete and well-formed (the English UI relies on them)."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(
    p
    for pattern in ("*/locale/*/LC_MESSAGES/django.po", "*/locale_*/*/LC_MESSAGES/django.po")
    for p in ROOT.glob(pattern)
    if ".venv" not in p.parts
) + sorted(ROOT.glob("locale/*/LC_MESSAGES/django.po"))


def language_of(path: Path) -> str:
    return path.parent.parent.name


def test_there_are_catalogues_for_both_languages():
    assert {language_of(p) for p in CATALOGUES} == {"de", "en"}
    assert len(CATALOGUES) >= 16


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_header_and_placeholders(path):
    text = path.read_text(encoding="utf-8")
    # A fuzzy header is ignored by the compilers; without Plural-Forms plurals may break.
    assert f'"Language: {language_of(path)}\\n"' in text
    assert '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"' in text
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
