"""@mentions by display name, parsed server-side so a plain text field is enough.

`@Anna Autorin` names the member whose display name is the longest one the text
after the `@` starts with (case-insensitive) and that ends at a word boundary.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from accounts.models import User


def members() -> QuerySet[User]:
    return User.objects.members()


def find_mentions(text: str, candidates: Iterable[tuple[int, str]]) -> set[int]:
    """User ids mentioned as `@Display Name` in `text` (longest name wins)."""
    names = sorted(
        ((name.casefold(), pk) for pk, name in candidates if name and name.strip()),
        key=lambda item: len(item[0]),
        reverse=True,
    )
    folded = text.casefold()
    found: set[int] = set()
    start = folded.find("@")
    while start != -1:
        rest = folded[start + 1 :]
        for name, pk in names:
            if rest.startswith(name):
                after = rest[len(name) : len(name) + 1]
                if not after or not (after.isalnum() or after == "_"):
                    found.add(pk)
                    break
        start = folded.find("@", start + 1)
    return found


def names_from_field(value: str, candidates: Iterable[tuple[int, str]]) -> set[int]:
    """The optional "mention" field: display names separated by commas or new lines."""
    by_name = {name.casefold().strip(): pk for pk, name in candidates if name}
    found: set[int] = set()
    for part in value.replace("\n", ",").split(","):
        key = part.strip().lstrip("@").strip().casefold()
        if key in by_name:
            found.add(by_name[key])
    return found
