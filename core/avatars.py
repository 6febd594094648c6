"""Initials in a circle for people in threads and lists (issue 16): no uploads, no
external service. The colour comes from the user id, so a person keeps theirs on every
page; the circle is decoration (aria-hidden), the name is always written beside it."""

from __future__ import annotations

import re

from django.utils.html import format_html
from django.utils.safestring import SafeString

# Eight backgrounds with white text at ≥ 4.5:1 (site.css: .avatar-0 … .avatar-7).
COLOURS = 8
_WORD_SPLIT = re.compile(r"[\s\-_.·,/@]+")


def initials(name: str) -> str:
    """'Amira Autorin' → 'AA', 'Lena' → 'L', 'Jean-Luc Picard' → 'JP'; '?' without letters."""
    words = _WORD_SPLIT.split(name or "")
    # Letters first ("Person 13" → "P", not "P1"); digits only for a name without letters.
    firsts = [ch for ch in (next((c for c in w if c.isalpha()), "") for w in words) if ch]
    if not firsts:
        firsts = [ch for ch in (next((c for c in w if c.isalnum()), "") for w in words) if ch]
    if not firsts:
        return "?"
    picked = firsts[0] + (firsts[-1] if len(firsts) > 1 else "")
    # "ß".upper() is "SS": one letter per word stays one letter.
    return "".join(ch.upper()[:1] for ch in picked)


def colour_class(user_id: int | None) -> str:
    return "avatar-none" if user_id is None else f"avatar-{user_id % COLOURS}"


def avatar_html(user_id: int | None, name: str, *, size: str = "") -> SafeString:
    """The circle alone; callers write the name beside it (screen readers skip the circle)."""
    extra = f" avatar-{size}" if size else ""
    return format_html(
        '<span class="avatar {}{}" aria-hidden="true">{}</span>',
        colour_class(user_id),
        extra,
        initials(name) if user_id is not None else "?",
    )
