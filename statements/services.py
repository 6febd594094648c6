"""Every write to a statement's text, authors and topics.

revision_save() is the one way text changes: it locks the statement row, checks
that the author's base revision is still the current one and only then writes
a new immutable Revision. Two saves from the same base therefore serialise on
the lock, and the second one sees the first one's revision and gets a conflict.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from statements import markdown
from statements.models import Revision, Statement
from statements.states import EDITABLE_STATES


class EditConflict(Exception):
    """The base revision is outdated; `current` is the newer revision."""

    def __init__(self, current: Revision | None) -> None:
        super().__init__("edit conflict")
        self.current = current


class TextFrozen(Exception):
    """The paper's state no longer allows text changes (voting opened)."""


@dataclass(frozen=True)
class TextFields:
    title: str
    occasion: str
    summary: str
    body: str


def _unique_slug(title: str) -> str:
    base = slugify(title)[:100] or "stellungnahme"
    slug, n = base, 1
    while Statement.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def statement_create(*, author: Any, text: TextFields, message: str = "", language: str = "de") -> Statement:
    for _attempt in range(5):
        try:
            with transaction.atomic():
                statement = Statement.objects.create(
                    slug=_unique_slug(text.title),
                    title=text.title,
                    occasion=text.occasion,
                    summary=text.summary,
                    body=text.body,
                    language=language,
                    created_by=author,
                )
                _write_revision(statement, author=author, text=text, message=message, based_on=None)
                return statement
        except IntegrityError:
            continue  # a concurrent create took the slug; pick the next one
    raise IntegrityError("could not allocate a unique slug")


def revision_save(
    *,
    statement_id: int,
    author: Any,
    text: TextFields,
    message: str,
    base_revision_id: int | None,
) -> Revision:
    """Save `text` as a new revision on top of `base_revision_id`, or raise EditConflict."""
    with transaction.atomic():
        statement = Statement.objects.select_for_update().get(pk=statement_id)
        if statement.state not in EDITABLE_STATES:
            raise TextFrozen
        if statement.current_revision_id != base_revision_id:
            current = Revision.objects.filter(pk=statement.current_revision_id).first()
            raise EditConflict(current)
        return _write_revision(statement, author=author, text=text, message=message,
                               based_on=statement.current_revision_id)


def _write_revision(
    statement: Statement, *, author: Any, text: TextFields, message: str, based_on: int | None
) -> Revision:
    last = statement.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    revision = Revision.objects.create(
        statement=statement,
        number=last + 1,
        title=text.title,
        occasion=text.occasion,
        summary=text.summary,
        body=text.body,
        body_html=markdown.render(text.body),
        author=author,
        message=message,
        based_on_id=based_on,
    )
    statement.current_revision = revision
    statement.title, statement.occasion = text.title, text.occasion
    statement.summary, statement.body = text.summary, text.body
    statement.updated_at = timezone.now()
    statement.save(update_fields=["current_revision", "title", "occasion", "summary", "body", "updated_at"])
    return revision
