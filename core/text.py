"""Cleaning of names and titles, and the look-alike key that keeps display names apart.

Every name and title people type (display names, organisation and topic names, a paper's
title and occasion) passes through `clean_line` in the form and again in the service, so
a bidirectional override can never reorder the page around it ("U+202E" makes
"Anna‮ nirotuA" read backwards). Display names are additionally compared by
`name_key`: two names with the same key look the same to a reader, so only one may exist.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

# Bidirectional controls: embeddings and overrides (U+202A–U+202E), isolates (U+2066–U+2069),
# the marks LRM/RLM (U+200E/U+200F) and the Arabic letter mark (U+061C).
BIDI_CONTROLS = frozenset(
    [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\u200e", "\u200f", "\u061c"]
)
# Invisible characters with no use in a one-line name: zero-width space, word joiner,
# byte-order mark, soft hyphen. ZWNJ/ZWJ (U+200C/U+200D) stay: Persian words and
# emoji need them. They are ignored by the key instead.
_INVISIBLE = frozenset(["\u200b", "\u2060", "\ufeff", "\u00ad"])
_DROP = {ord(ch): None for ch in BIDI_CONTROLS | _INVISIBLE}
_SPACES = re.compile(r"\s+")

# Characters of other scripts that look like Latin letters, mapped before case folding so
# that the case of the look-alike decides (Greek capital Nu is "N", small nu is "v").
# A small hand-made table: the common Cyrillic and Greek homoglyphs, not Unicode's full
# confusables list.
_LOOKALIKES = str.maketrans(
    {
        # Cyrillic capitals
        "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
        "С": "C", "Т": "T", "У": "Y", "Х": "X", "Ѕ": "S", "І": "I", "Ј": "J", "Ԛ": "Q",
        "Ԝ": "W", "Ү": "Y", "Һ": "H", "Ӏ": "I",
        # Cyrillic small letters
        "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "ѕ": "s",
        "і": "i", "ј": "j", "һ": "h", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ү": "y",
        "к": "k",
        # Greek capitals
        "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
        "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
        # Greek small letters
        "ο": "o", "ν": "v", "α": "a", "κ": "k", "ρ": "p", "υ": "u", "ι": "i",
        # Latin dotless i
        "ı": "i",
    }
)  # fmt: skip
# Default-ignorable letters and marks that render as nothing (Hangul fillers, the
# combining grapheme joiner, variation selectors): a name of only these looks empty.
_IGNORABLE = frozenset(
    ["\u034f", "\u115f", "\u1160", "\u17b4", "\u17b5", "\u3164", "\uffa0"]
    + [chr(c) for c in range(0xFE00, 0xFE10)]
)


def strip_bidi(text: str) -> str:
    """`text` without bidirectional control characters (line breaks kept)."""
    return text.translate({ord(ch): None for ch in BIDI_CONTROLS})


def clean_line(text: str) -> str:
    """A one-line name or title as it is stored: no bidi controls, no invisible
    characters, every run of white space (tabs, line breaks, no-break spaces) one space."""
    return _SPACES.sub(" ", text.translate(_DROP)).strip()


def _invisible(ch: str) -> bool:
    return ch.isspace() or ch in _IGNORABLE or unicodedata.category(ch) in ("Cf", "Cc")


def name_key(text: str) -> str:
    """What a reader sees of a name: NFKC, look-alikes folded to Latin, case folded,
    white space and invisible characters removed. "Anna Autorin", "anna autorin",
    "Аnna Autorin" (Cyrillic А) and "Anna\\u200bAutorin" share one key."""
    folded = unicodedata.normalize("NFKC", text).translate(_LOOKALIKES).casefold()
    folded = unicodedata.normalize("NFKC", folded)
    return "".join(ch for ch in folded if not _invisible(ch))


def display_name_key(name: str) -> str | None:
    """The value of `User.display_name_key`: a digest of `name_key` (NFKC can make a key
    many times longer than the name; a digest keeps the unique index small), or None for
    an empty name, so people who have not chosen one yet do not collide."""
    key = name_key(name)
    if not key:
        return None
    return hashlib.sha256(key.encode("utf-8")).hexdigest()
