"""Every write to a statement's text, authors and topics.

revision_save() is the one way text changes: it locks the statement row, checks
that the author's base revision is still the current one and only then writes
a new immutable Revision. Two saves from the same base therefore serialise on
the lock, and the second one sees the first one's revision and gets a conflict.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy

from accounts.permissions import is_member
from core import pagecache
from core.errors import ServiceError
from core.events import EventKind, emit
from core.text import clean_line, strip_bidi
from statements import markdown
from statements.models import Coauthorship, Revision, Statement, Topic
from statements.states import EDITABLE_STATES


class EditConflict(ServiceError):
    """The base revision is outdated; `current` is the newer revision."""

    status = 409

    def __init__(self, current: Revision | None) -> None:
        super().__init__("edit conflict")
        self.current = current


class TextFrozen(ServiceError):
    """The paper's state no longer allows text changes (voting opened)."""

    status = 409


@dataclass(frozen=True)
class TextFields:
    title: str
    occasion: str
    summary: str
    body: str

    def __post_init__(self) -> None:
        # Title and occasion are one-line names of the paper, shown inline in lists, mails
        # and feeds: cleaned like every name. The summary keeps its line breaks but no bidi
        # override either. The body is Markdown whose paragraphs isolate direction; RTL
        # writers may need marks there.
        object.__setattr__(self, "title", clean_line(self.title))
        object.__setattr__(self, "occasion", clean_line(self.occasion))
        object.__setattr__(self, "summary", strip_bidi(self.summary))

    @classmethod
    def of(cls, revision: Revision) -> TextFields:
        return cls(
            title=revision.title,
            occasion=revision.occasion,
            summary=revision.summary,
            body=revision.body,
        )


# Path segments under /statements/ that a paper's slug must never shadow.
# "feed" is public's /statements/feed/ (the Atom feed): a paper called "Feed" could not be reached.
RESERVED_SLUGS = frozenset({"new", "preview", "neu", "feed"})


# slugify() drops what it cannot map to ASCII: "schließen" became "schlieen". German
# readers expect the usual transliteration in a permalink.
_GERMAN_ASCII = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS"}
)


def slug_base(title: str) -> str:
    """The slug a title asks for, before numbering (German umlauts and ß transliterated)."""
    return slugify(title.translate(_GERMAN_ASCII))[:100]


def legacy_slug_base(title: str) -> str:
    """The slug papers made before the transliteration got (demo data looks for both)."""
    return slugify(title)[:100]


def _unique_slug(title: str) -> str:
    base = slug_base(title) or "stellungnahme"
    if base in RESERVED_SLUGS:
        base = f"{base}-stellungnahme"
    slug, n = base, 1
    while Statement.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def statement_create(
    *,
    author: Any,
    text: TextFields,
    message: str = "",
    language: str = "de",
    topics: Iterable[Topic] = (),
) -> Statement:
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
                statement.topics.set(list(topics))
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
        return _write_revision(
            statement,
            author=author,
            text=text,
            message=message,
            based_on=statement.current_revision_id,
        )


def _write_revision(
    statement: Statement, *, author: Any, text: TextFields, message: str, based_on: int | None
) -> Revision:
    last = statement.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    body_html, blocks = markdown.parse(text.body)
    revision = Revision.objects.create(
        statement=statement,
        number=last + 1,
        title=text.title,
        occasion=text.occasion,
        summary=text.summary,
        body=text.body,
        body_html=body_html,
        blocks=[block.stored() for block in blocks],
        author=author,
        message=message,
        based_on_id=based_on,
    )
    statement.current_revision = revision
    statement.title, statement.occasion = text.title, text.occasion
    statement.summary, statement.body = text.summary, text.body
    statement.updated_at = timezone.now()
    statement.save(
        update_fields=["current_revision", "title", "occasion", "summary", "body", "updated_at"]
    )
    return revision


def statement_edit(
    *,
    statement_id: int,
    author: Any,
    text: TextFields,
    message: str,
    base_revision_id: int | None,
    topics: Iterable[Topic],
    language: str,
) -> Revision | None:
    """The editor's save: a new revision (unless the text is unchanged) plus topics/language.

    Returns the new revision, or None when only topics or language changed.
    Raises EditConflict / TextFrozen exactly like revision_save.
    """
    with transaction.atomic():
        statement = Statement.objects.select_for_update().get(pk=statement_id)
        current = statement.current_revision
        unchanged = (
            current is not None
            and current.pk == base_revision_id
            and statement.state in EDITABLE_STATES
            and TextFields.of(current) == text
        )
        revision = None
        if not unchanged:
            revision = revision_save(
                statement_id=statement_id,
                author=author,
                text=text,
                message=message,
                base_revision_id=base_revision_id,
            )
        statement_details_update(statement_id=statement_id, topics=topics, language=language)
        return revision


def statement_details_update(*, statement_id: int, topics: Iterable[Topic], language: str) -> None:
    """Topics and language are not part of the text history; they change in place."""
    with transaction.atomic():
        statement = Statement.objects.select_for_update().get(pk=statement_id)
        if statement.state not in EDITABLE_STATES:
            raise TextFrozen
        if statement.language != language:
            statement.language = language
            statement.save(update_fields=["language"])
        statement.topics.set(list(topics))


def revision_restore(
    *, statement_id: int, author: Any, revision_number: int, base_revision_id: int | None
) -> Revision:
    """Bring back an old revision's text as a new revision on top of the current one."""
    old = Revision.objects.get(statement_id=statement_id, number=revision_number)
    return revision_save(
        statement_id=statement_id,
        author=author,
        text=TextFields.of(old),
        # Stored like any change note, in the group's working language.
        message=f"Fassung {revision_number} wiederhergestellt",
        base_revision_id=base_revision_id,
    )


def coauthor_add(*, statement: Statement, user: Any, added_by: Any) -> Coauthorship:
    """Invite a member as co-author; the notifications app tells them."""
    if not is_member(user):
        raise ValueError("only members can be co-authors")
    if user.pk == statement.created_by_id:
        raise ValueError("the creator is already an author")
    with transaction.atomic():
        coauthorship, created = Coauthorship.objects.get_or_create(
            statement=statement, user=user, defaults={"added_by": added_by}
        )
        if created:
            emit(
                EventKind.COAUTHOR_INVITED,
                statement=statement,
                actor=added_by,
                extra={"user_id": user.pk},
            )
    statement.__dict__.pop("_author_ids", None)
    return coauthorship


def coauthor_remove(*, statement: Statement, user_id: int) -> bool:
    """Remove a co-author; their revisions stay credited to them."""
    deleted, _ = Coauthorship.objects.filter(statement=statement, user_id=user_id).delete()
    statement.__dict__.pop("_author_ids", None)
    return bool(deleted)


# --- Topics (managed by the coordination) ---------------------------------------------


class TopicNameTaken(ServiceError):
    """Another topic has this name (the form checks first; this is the race's backstop)."""

    message = gettext_lazy("Ein Thema mit diesem Namen gibt es schon.")


def _unique_topic_slug(name: str) -> str:
    base = slug_base(name)[:70] or "thema"
    slug, n = base, 2
    while Topic.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def topic_create(*, name: str, name_en: str = "") -> Topic:
    try:
        with transaction.atomic():
            name, name_en = clean_line(name), clean_line(name_en)
            topic = Topic.objects.create(name=name, name_en=name_en, slug=_unique_topic_slug(name))
    except IntegrityError:
        raise TopicNameTaken() from None
    _topics_changed()
    return topic


def topic_update(*, topic_id: int, name: str, name_en: str = "") -> Topic:
    """Rename a topic. The slug stays: per-topic feed and list URLs must keep working."""
    try:
        with transaction.atomic():
            topic = Topic.objects.select_for_update().get(pk=topic_id)
            topic.name, topic.name_en = clean_line(name), clean_line(name_en)
            topic.save(update_fields=["name", "name_en"])
    except IntegrityError:
        raise TopicNameTaken() from None
    _topics_changed()
    return topic


class TopicInUse(ServiceError):
    status = 409
    message = gettext_lazy(
        "Dieses Thema ist Stellungnahmen zugeordnet und kann nicht gelöscht werden. "
        "Benennen Sie es stattdessen um."
    )


def topic_delete(*, topic_id: int) -> bool:
    """Delete a topic no paper uses (a typo, say). False if it was already gone."""
    with transaction.atomic():
        topic = Topic.objects.select_for_update().filter(pk=topic_id).first()
        if topic is None:
            return False
        if topic.statements.exists():
            raise TopicInUse()
        topic.delete()
    _topics_changed()
    return True


def _topics_changed() -> None:
    # Topic names appear on the public list, pages, feeds and API.
    pagecache.invalidate_public_pages()
