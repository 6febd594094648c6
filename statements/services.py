"""Every write to a statement's text, authors and topics.

revision_save() is the one way text changes: it locks the statement row and
compares the author's base revision with the current one on the locked row. Two
saves from the same base therefore serialise on the lock; the second one sees the
first one's revision and is merged with it three-way (statements/merge.py): a new
revision crediting both when the changes are in different places, EditConflict
(and the conflict page) only where they overlap.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext, gettext_lazy, override

from accounts.permissions import is_member
from core import pagecache
from core.errors import ServiceError
from core.events import EventKind, emit
from core.text import clean_line, strip_bidi
from statements import markdown
from statements.merge import TextMerge, UnresolvedConflict, merge_fields
from statements.models import Autosave, Coauthorship, Revision, Statement, Topic
from statements.states import EDITABLE_STATES


class EditConflict(ServiceError):
    """Both the newer revision and the editor's text changed the same place.

    `current` is the newer revision, `base` the one the editor started from (None if the
    form did not say), `mine` the editor's text and `merge` the three-way merge whose
    `conflicts` someone has to decide (statements/merge.py).
    """

    status = 409

    def __init__(
        self,
        current: Revision | None,
        *,
        base: Revision | None = None,
        mine: TextFields | None = None,
        merge: TextMerge | None = None,
    ) -> None:
        super().__init__("edit conflict")
        self.current = current
        self.base = base
        self.mine = mine
        self.merge = merge


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
    def of(cls, revision: Revision | None) -> TextFields:
        if revision is None:  # a base nobody knows: merge as if it had been empty
            return cls(title="", occasion="", summary="", body="")
        return cls(
            title=revision.title,
            occasion=revision.occasion,
            summary=revision.summary,
            body=revision.body,
        )

    def as_dict(self) -> dict[str, str]:
        return {
            "title": self.title,
            "occasion": self.occasion,
            "summary": self.summary,
            "body": self.body,
        }


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
    resolutions: Mapping[str, str] | None = None,
    resolved_against_id: int | None = None,
) -> Revision:
    """Save `text`, written on top of `base_revision_id`, as a new revision.

    If another revision was saved meanwhile, the three are merged (statements/merge.py):
    changes in different places make one revision crediting both authors; overlapping
    changes raise EditConflict carrying the merge. `resolutions` (conflict key → text, as
    the conflict page sends them for the merge of the base, `resolved_against_id` and
    `text`) settle those conflicts; a revision saved after that one is merged again.
    """
    with transaction.atomic():
        statement = _lock_editable(statement_id)
        return _save_locked(
            statement,
            author=author,
            text=text,
            message=message,
            base_revision_id=base_revision_id,
            resolutions=resolutions,
            resolved_against_id=resolved_against_id,
            skip_unchanged=False,
        )


def _lock_editable(statement_id: int) -> Statement:
    """The paper, locked for this transaction; TextFrozen unless its text may change."""
    statement = Statement.objects.select_for_update().get(pk=statement_id)
    if statement.state not in EDITABLE_STATES:
        raise TextFrozen
    return statement


def _save_locked(
    statement: Statement,
    *,
    author: Any,
    text: TextFields,
    message: str,
    base_revision_id: int | None,
    resolutions: Mapping[str, str] | None,
    resolved_against_id: int | None,
    skip_unchanged: bool,
) -> Revision | None:
    """revision_save's work on the locked row; None if `skip_unchanged` and nothing changed."""
    current_id = statement.current_revision_id
    if base_revision_id is not None and base_revision_id == current_id:
        if skip_unchanged and TextFields.of(statement.current_revision) == text:
            return None
        return _write_revision(
            statement, author=author, text=text, message=message, based_on=current_id
        )
    current = Revision.objects.select_related("author").get(pk=current_id)
    base = _revision_of(statement, base_revision_id)
    credit_from = base
    try:
        if resolutions is not None and resolved_against_id not in (None, current_id):
            # The conflicts were decided against a revision that has been overtaken
            # since: settle them there, then merge that result with what came after.
            against = _revision_of(statement, resolved_against_id)
            if against is not None and (base is None or against.number > base.number):
                text = _merged(base, against, text, resolutions)
                base = against
            resolutions = None
        merged = _merged(base, current, text, resolutions)
    except UnresolvedConflict:
        raise EditConflict(
            current, base=base, mine=text, merge=_merge(base, current, text)
        ) from None
    if skip_unchanged and merged == TextFields.of(current):
        return None
    revision = _write_revision(
        statement,
        author=author,
        text=merged,
        message=_merged_message(message, current.number),
        based_on=base.pk if base else None,
        merged_with=current.pk,
    )
    newer = Revision.objects.filter(statement=statement, number__lte=current.number)
    if credit_from is not None:
        newer = newer.filter(number__gt=credit_from.number)
    people = set(newer.exclude(author=None).values_list("author_id", flat=True))
    people.discard(getattr(author, "pk", None))
    revision.credited.set(people)
    return revision


def _revision_of(statement: Statement, revision_id: int | None) -> Revision | None:
    """A revision of this paper only: a base from another paper must never be merged in."""
    if revision_id is None:
        return None
    return Revision.objects.filter(statement=statement, pk=revision_id).first()


def _merge(base: Revision | None, theirs: Revision, mine: TextFields) -> TextMerge:
    return merge_fields(
        TextFields.of(base).as_dict() if base else None,
        TextFields.of(theirs).as_dict(),
        mine.as_dict(),
    )


def _merged(
    base: Revision | None,
    theirs: Revision,
    mine: TextFields,
    resolutions: Mapping[str, str] | None,
) -> TextFields:
    """The merged text; UnresolvedConflict if a conflict has no resolution."""
    return TextFields(**_merge(base, theirs, mine).texts(resolutions))


def _merged_message(message: str, number: int) -> str:
    """The change note of a merged save: the editor's note plus what it was merged with.

    Stored, like every change note, in the group's working language."""
    with override(settings.LANGUAGE_CODE):
        note = gettext("zusammengeführt mit Fassung %(number)s") % {"number": number}
    if not message:
        return capfirst(note)
    return f"{message[: 300 - len(note) - 3]} – {note}"


def _write_revision(
    statement: Statement,
    *,
    author: Any,
    text: TextFields,
    message: str,
    based_on: int | None,
    merged_with: int | None = None,
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
        merged_with_id=merged_with,
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
    resolutions: Mapping[str, str] | None = None,
    resolved_against_id: int | None = None,
) -> Revision | None:
    """The editor's save: a new revision (unless the text is unchanged) plus topics/language.

    Returns the new revision (`merged_with` set if it was merged with a newer one), or
    None when only topics or language changed. Raises EditConflict / TextFrozen like
    revision_save.
    """
    with transaction.atomic():
        statement = _lock_editable(statement_id)
        revision = _save_locked(
            statement,
            author=author,
            text=text,
            message=message,
            base_revision_id=base_revision_id,
            resolutions=resolutions,
            resolved_against_id=resolved_against_id,
            skip_unchanged=True,
        )
        statement_details_update(statement_id=statement_id, topics=topics, language=language)
        # What the editor kept for this person is in the paper now (or was unchanged).
        Autosave.objects.filter(user=author, statement_id=statement_id).delete()
        return revision


def autosave_store(
    *, user: Any, statement_id: int, text: TextFields, base_revision_id: int | None
) -> Autosave:
    """Keep the editor's unsaved text for this person and paper (one row, overwritten).

    The caller has checked that the person may edit the paper; nothing else reads it but
    the editor of the same person. Never a revision.
    """
    base = (
        Revision.objects.filter(pk=base_revision_id, statement_id=statement_id)
        .values_list("pk", flat=True)
        .first()
        if base_revision_id
        else None
    )
    autosave, _ = Autosave.objects.update_or_create(
        user=user,
        statement_id=statement_id,
        defaults={
            "title": text.title,
            "occasion": text.occasion,
            "summary": text.summary,
            "body": text.body,
            "base_revision_id": base,
            "saved_at": timezone.now(),
        },
    )
    return autosave


def autosave_discard(*, user: Any, statement_id: int) -> None:
    Autosave.objects.filter(user=user, statement_id=statement_id).delete()


def statement_details_update(*, statement_id: int, topics: Iterable[Topic], language: str) -> None:
    """Topics and language are not part of the text history; they change in place."""
    with transaction.atomic():
        statement = _lock_editable(statement_id)
        if statement.language != language:
            statement.language = language
            statement.save(update_fields=["language"])
        statement.topics.set(list(topics))


def restore_message(revision_number: int) -> str:
    # Stored like any change note, in the group's working language.
    return f"Fassung {revision_number} wiederhergestellt"


def revision_restore(
    *, statement_id: int, author: Any, revision_number: int, base_revision_id: int | None
) -> Revision | None:
    """Bring back an old revision's text as a new revision on top of the current one.

    Restoring from a history page that is no longer current is a save from an older
    base like any other: changes made since then are merged in where they do not
    overlap; overlaps raise EditConflict. None if that leaves nothing to change.
    """
    old = Revision.objects.get(statement_id=statement_id, number=revision_number)
    with transaction.atomic():
        statement = _lock_editable(statement_id)
        return _save_locked(
            statement,
            author=author,
            text=TextFields.of(old),
            message=restore_message(revision_number),
            base_revision_id=base_revision_id,
            resolutions=None,
            resolved_against_id=None,
            skip_unchanged=True,
        )


def edit_conflict_for(
    *, statement_id: int, base_revision_id: int | None, theirs_revision_id: int, text: TextFields
) -> EditConflict:
    """The conflict a save of `text` from `base_revision_id` met on `theirs_revision_id`,
    computed again for the conflict page's submission (revisions never change, so it is
    the same merge). Revision.DoesNotExist if `theirs` is not a revision of this paper."""
    statement = Statement.objects.get(pk=statement_id)
    theirs = Revision.objects.select_related("author").get(
        statement=statement, pk=theirs_revision_id
    )
    base = _revision_of(statement, base_revision_id)
    return EditConflict(theirs, base=base, mine=text, merge=_merge(base, theirs, text))


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
