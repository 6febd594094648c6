"""Every write in the discussion: comments, replies, edits, suggestions, moderation.

Views check the predicates in discussion/permissions.py first; these functions
check what can change under their feet (the paragraph still exists, the
suggestion is still open, the text is still editable) on locked rows, and
record notification events with emit() inside the same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext, override
from django.utils.translation import gettext_lazy as _

from core import ratelimit
from core.errors import ServiceError
from core.events import EventKind, emit
from discussion.mentions import find_mentions, members, names_from_field
from discussion.models import (
    Comment,
    CommentVersion,
    Mention,
    Report,
    SuggestionStatus,
    suggestion_too_long,
)
from statements import markdown
from statements import permissions as sperms
from statements.diff import html_diff, word_diff
from statements.merge import merge_body
from statements.models import Revision, Statement
from statements.services import EditConflict, TextFields, TextFrozen, revision_save
from statements.states import EDITABLE_STATES

FORMER_MEMBER = "ehemaliges Mitglied"


class DiscussionError(ServiceError):
    """A refused write in a discussion; each raise names its message."""

    status = 400


class BlockGone(DiscussionError):
    status = 409


class SuggestionOutdated(DiscussionError):
    status = 409


class SuggestionNotOpen(DiscussionError):
    status = 409


class DiscussionClosed(DiscussionError):
    status = 409


class TooManyMentions(DiscussionError):
    status = 400


class SuggestionTooLong(DiscussionError):
    status = 400


def _check_suggestion_length(text: str, block_source: str) -> None:
    error = suggestion_too_long(text, block_source)
    if error:
        raise SuggestionTooLong(error)


def _suggestion_diff(block_source: str, text: str) -> list[list[str]]:
    """The diff a suggestion shows, computed once when it is written (bounded work)."""
    return [[op, piece] for op, piece in word_diff(block_source, text).segments]


def _suggestion_rendered(block_source: str, text: str) -> list[list[str]]:
    """The same change, formatted (bounded like word_diff; each side rendered once)."""
    diff = html_diff(markdown.render(block_source), markdown.render(text))
    return [[op, piece] for op, piece in diff.segments]


def _throttle(actor: Any, *actions: str) -> None:
    """Count a person's write against the flood limits (core.ratelimit); RateLimited if over.

    Only writes that come from a person's request are counted (the views pass
    throttle=True); demo data, benchmarks and the services' own tests are not.
    """
    for action in actions:
        ratelimit.consume(action, actor)


def _current_statement(statement_id: int, *, lock: bool = False) -> Statement:
    if lock:
        # The statement row alone: a join would hand back the revision row as it was when
        # the query started, not the one a concurrent save committed while we waited for
        # the lock (PostgreSQL rechecks only the locked row). The current revision is read
        # afterwards, by its own query, under the lock.
        return Statement.objects.select_for_update().get(pk=statement_id)
    return Statement.objects.select_related("current_revision").get(pk=statement_id)


def _mention_candidates(statement: Statement) -> list[tuple[int, str]]:
    """Members who may read the discussion: nobody is pointed to a draft they cannot open."""
    people = members().only(
        "id", "display_name", "is_coordinator", "membership_status", "is_active"
    )
    return [(u.pk, u.display_name) for u in people if sperms.can_view_internal(u, statement)]


@dataclass(frozen=True)
class _Mentioning:
    """Who a comment text may mention, and whom it does mention as `@Name` (parsed once)."""

    candidates: list[tuple[int, str]]
    in_text: frozenset[int]

    @classmethod
    def of(cls, statement: Statement, body: str) -> _Mentioning:
        candidates = _mention_candidates(statement)
        return cls(candidates, frozenset(find_mentions(body, candidates)))

    def html(self, body: str) -> str:
        """The comment's HTML, with the mentioned members marked up."""
        names = [name for pk, name in self.candidates if pk in self.in_text]
        return markdown.render_inline_plain(body, mentions=names)


def _record_mentions(
    comment: Comment, mentioning: _Mentioning, *, mention_names: str, actor: Any, throttle: bool
) -> None:
    wanted = set(mentioning.in_text) | names_from_field(mention_names, mentioning.candidates)
    wanted.discard(comment.author_id)
    cap = settings.RTM_MAX_MENTIONS_PER_COMMENT
    if len(wanted) > cap:
        # Each mention is a mail: one comment must not page the whole group.
        raise TooManyMentions(
            _("Sie können in einem Beitrag höchstens %(count)s Personen erwähnen.") % {"count": cap}
        )
    known = set(comment.mentions.values_list("user_id", flat=True))
    new = sorted(wanted - known)
    if throttle and new:
        # Every newly mentioned person gets a notification: they count one by one.
        ratelimit.consume(
            "mention",
            actor,
            amount=len(new),
            message=_(
                "Sie haben in kurzer Zeit zu viele Personen erwähnt. Bitte warten Sie einen "
                "Moment oder erwähnen Sie weniger Personen."
            ),
        )
    Mention.objects.bulk_create([Mention(comment=comment, user_id=pk) for pk in new])
    if new:
        emit(
            EventKind.MENTIONED,
            statement=comment.statement,
            actor=actor,
            target=comment,
            extra={"user_ids": new},
        )


def comment_create(
    *,
    statement: Statement,
    author: Any,
    body: str,
    block_id: str = "",
    suggestion_text: str = "",
    mention_names: str = "",
    throttle: bool = False,
) -> Comment:
    """A new top-level comment, optionally anchored to a block and carrying a suggestion."""
    body, suggestion_text = body.strip(), suggestion_text.strip("\n")
    if suggestion_text.strip() and not block_id:
        raise DiscussionError(_("Ein Änderungsvorschlag bezieht sich immer auf einen Absatz."))
    if not body and not suggestion_text.strip():
        raise DiscussionError(_("Bitte schreiben Sie einen Kommentar."))
    if throttle:
        _throttle(author, *(("suggestion",) if suggestion_text.strip() else ()), "comment")
    with transaction.atomic():
        statement = _current_statement(statement.pk)
        revision = statement.current_revision
        block_source = ""
        if block_id:
            block = next(
                (b for b in (revision.parsed_blocks if revision else []) if b.id == block_id),
                None,
            )
            if block is None:
                raise BlockGone(
                    _(
                        "Dieser Absatz wurde inzwischen geändert. Bitte laden Sie die Seite neu "
                        "und wählen Sie den Absatz erneut."
                    )
                )
            block_source = block.source
        is_suggestion = bool(suggestion_text.strip())
        if is_suggestion and statement.state not in EDITABLE_STATES:
            raise DiscussionClosed(_("Der Text kann nicht mehr geändert werden."))
        if is_suggestion:
            _check_suggestion_length(suggestion_text, block_source)
        mentioning = _Mentioning.of(statement, body)
        comment = Comment.objects.create(
            statement=statement,
            revision=revision,
            author=author,
            body=body,
            body_html=mentioning.html(body),
            block_id=block_id,
            block_source=block_source,
            suggestion_text=suggestion_text if is_suggestion else "",
            suggestion_status=SuggestionStatus.OPEN if is_suggestion else "",
            suggestion_diff=_suggestion_diff(block_source, suggestion_text)
            if is_suggestion
            else [],
            suggestion_rendered=_suggestion_rendered(block_source, suggestion_text)
            if is_suggestion
            else [],
        )
        emit(EventKind.COMMENT_CREATED, statement=statement, actor=author, target=comment)
        _record_mentions(
            comment, mentioning, mention_names=mention_names, actor=author, throttle=throttle
        )
        return comment


def comment_reply(
    *, parent: Comment, author: Any, body: str, mention_names: str = "", throttle: bool = False
) -> Comment:
    body = body.strip()
    if not body:
        raise DiscussionError(_("Bitte schreiben Sie eine Antwort."))
    if throttle:
        _throttle(author, "comment")
    with transaction.atomic():
        parent = Comment.objects.select_for_update().get(pk=parent.pk)
        if parent.parent_id is not None or parent.is_deleted or parent.is_hidden:
            raise DiscussionClosed(_("Auf diesen Kommentar kann nicht geantwortet werden."))
        statement = _current_statement(parent.statement_id)
        mentioning = _Mentioning.of(statement, body)
        reply = Comment.objects.create(
            statement=statement,
            revision=statement.current_revision,
            parent=parent,
            author=author,
            body=body,
            body_html=mentioning.html(body),
        )
        emit(EventKind.COMMENT_CREATED, statement=statement, actor=author, target=reply)
        _record_mentions(
            reply, mentioning, mention_names=mention_names, actor=author, throttle=throttle
        )
        return reply


def comment_edit(
    *,
    comment: Comment,
    editor: Any,
    body: str,
    suggestion_text: str | None = None,
    mention_names: str = "",
    throttle: bool = False,
) -> Comment:
    """Change the text, keeping the previous one as a CommentVersion."""
    body = body.strip()
    if throttle:
        _throttle(editor, "comment_edit")
    with transaction.atomic():
        comment = (
            Comment.objects.select_for_update(of=("self",))
            .select_related("statement")
            .get(pk=comment.pk)
        )
        if comment.is_deleted:
            raise DiscussionClosed(_("Dieser Kommentar wurde gelöscht."))
        new_suggestion = comment.suggestion_text
        if comment.is_suggestion and suggestion_text is not None:
            if comment.suggestion_status != SuggestionStatus.OPEN:
                raise SuggestionNotOpen(_("Über diesen Vorschlag wurde schon entschieden."))
            new_suggestion = suggestion_text.strip("\n")
            if not new_suggestion.strip():
                raise DiscussionError(_("Der vorgeschlagene Text darf nicht leer sein."))
            _check_suggestion_length(new_suggestion, comment.block_source)
        if not body and not comment.is_suggestion:
            raise DiscussionError(_("Bitte schreiben Sie einen Kommentar."))
        if body == comment.body and new_suggestion == comment.suggestion_text:
            return comment
        CommentVersion.objects.create(
            comment=comment,
            body=comment.body,
            suggestion_text=comment.suggestion_text,
            written_at=comment.edited_at or comment.created_at,
        )
        mentioning = _Mentioning.of(comment.statement, body)
        comment.body, comment.body_html = body, mentioning.html(body)
        fields = ["body", "body_html", "suggestion_text", "edited_at"]
        if new_suggestion != comment.suggestion_text:
            comment.suggestion_diff = _suggestion_diff(comment.block_source, new_suggestion)
            comment.suggestion_rendered = _suggestion_rendered(comment.block_source, new_suggestion)
            fields += ["suggestion_diff", "suggestion_rendered"]
        comment.suggestion_text = new_suggestion
        comment.edited_at = timezone.now()
        comment.save(update_fields=fields)
        _record_mentions(
            comment, mentioning, mention_names=mention_names, actor=editor, throttle=throttle
        )
        return comment


def comment_delete(*, comment: Comment, actor: Any) -> None:
    """Remove the text (and its history); the row stays as a placeholder for replies."""
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if comment.is_deleted:
            return
        comment.versions.all().delete()
        comment.mentions.all().delete()
        comment.body = comment.body_html = comment.suggestion_text = ""
        comment.suggestion_diff = comment.suggestion_rendered = []
        comment.deleted_at = timezone.now()
        comment.save(
            update_fields=[
                "body",
                "body_html",
                "suggestion_text",
                "suggestion_diff",
                "suggestion_rendered",
                "deleted_at",
            ]
        )


def comment_resolve(*, comment: Comment, actor: Any, resolved: bool = True) -> Comment:
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        comment.is_resolved = resolved
        comment.resolved_by = actor if resolved else None
        comment.resolved_at = timezone.now() if resolved else None
        comment.save(update_fields=["is_resolved", "resolved_by", "resolved_at"])
        return comment


def _norm_sources(source: str) -> list[str]:
    return [" ".join(b.source.split()) for b in markdown.blocks(source)]


def _only_block_changed(old: str, block_id: str, replacement: str, new: str | None) -> bool:
    """The new text is the old one with exactly that block swapped, every other block intact."""
    if new is None:
        return False
    before = markdown.blocks(old)
    index = next((i for i, b in enumerate(before) if b.id == block_id), None)
    if index is None:
        return False
    expected = (
        [" ".join(b.source.split()) for b in before[:index]]
        + _norm_sources(replacement)
        + [" ".join(b.source.split()) for b in before[index + 1 :]]
    )
    return _norm_sources(new) == expected


def _replace_keeping_spacing(source: str, block_id: str, replacement: str) -> str | None:
    """Like markdown.replace_block, but keeps the blank lines markdown-it counts into a
    block (a list's map ends after its trailing blank line), so the next block stays apart."""
    lines = source.splitlines()
    for block in markdown.blocks(source):
        if block.id != block_id:
            continue
        inner = lines[block.start_line : block.end_line]
        trailing = len(inner) - len(_rstrip_blank(inner))
        new_lines = replacement.strip("\n").splitlines() + [""] * trailing
        text = "\n".join(lines[: block.start_line] + new_lines + lines[block.end_line :])
        return text + "\n" if source.endswith("\n") else text
    return None


def _rstrip_blank(lines: list[str]) -> list[str]:
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    return lines[:end]


def _merge_into_changed_paragraph(comment: Comment, current_body: str) -> str:
    """The paragraph changed since the suggestion was made: merge the suggestion's change
    (the paragraph as it was → the suggested text) into the current text three-way, as
    a save from an older base is merged (statements/merge.py). Refused where the two
    changes overlap."""
    written_on = comment.revision.body if comment.revision else None
    suggested = (
        markdown.replace_block(written_on, comment.block_id, comment.suggestion_text)
        if written_on is not None
        else None
    )
    merged = merge_body(written_on, current_body, suggested) if suggested is not None else None
    if merged is None or merged.conflicts:
        raise SuggestionOutdated(
            _(
                "Der Absatz wurde seit dem Vorschlag an denselben Stellen geändert, die der "
                "Vorschlag ändert. Er kann nicht automatisch übernommen werden; bitte "
                "übertragen Sie ihn von Hand im Editor oder lehnen Sie ihn ab."
            )
        )
    return merged.text()


def _applied_body(comment: Comment, old_body: str) -> str:
    """The current text with this one suggestion applied (nothing is written).

    When the block is unchanged, replace_block() swaps it. When it changed meanwhile,
    the suggestion's change is merged into the current text three-way; where the two
    overlap it is refused (SuggestionOutdated), so the text is never garbled.
    """
    new_body = markdown.replace_block(old_body, comment.block_id, comment.suggestion_text)
    if new_body is not None and not _only_block_changed(
        old_body, comment.block_id, comment.suggestion_text, new_body
    ):
        new_body = _replace_keeping_spacing(old_body, comment.block_id, comment.suggestion_text)
        if not _only_block_changed(old_body, comment.block_id, comment.suggestion_text, new_body):
            raise SuggestionOutdated(
                _(
                    "Der vorgeschlagene Text würde mit dem Text davor oder danach "
                    "verschmelzen. Bitte übernehmen Sie ihn von Hand im Editor."
                )
            )
    if new_body is None:
        new_body = _merge_into_changed_paragraph(comment, old_body)
    return new_body


def _check_open(comment: Comment) -> None:
    if (
        comment.suggestion_status != SuggestionStatus.OPEN
        or comment.is_deleted
        or comment.is_hidden
    ):
        raise SuggestionNotOpen(_("Über diesen Vorschlag wurde schon entschieden."))


def _mark_applied(
    comment: Comment, *, actor: Any, revision: Revision, statement: Statement
) -> None:
    now = timezone.now()
    comment.suggestion_status = SuggestionStatus.APPLIED
    comment.suggestion_decided_by, comment.suggestion_decided_at = actor, now
    comment.applied_revision = revision
    comment.is_resolved, comment.resolved_by, comment.resolved_at = True, actor, now
    comment.save(
        update_fields=[
            "suggestion_status",
            "suggestion_decided_by",
            "suggestion_decided_at",
            "applied_revision",
            "is_resolved",
            "resolved_by",
            "resolved_at",
        ]
    )
    emit(EventKind.SUGGESTION_APPLIED, statement=statement, actor=actor, target=comment)


def _save_body(statement: Statement, *, author: Any, body: str, message: str) -> Revision:
    try:
        return revision_save(
            statement_id=statement.pk,
            author=author,
            text=TextFields(
                title=statement.title,
                occasion=statement.occasion,
                summary=statement.summary,
                body=body,
            ),
            message=message[:300],
            base_revision_id=statement.current_revision_id,
        )
    except (EditConflict, TextFrozen) as exc:  # cannot happen under our lock; be safe
        raise DiscussionClosed(_("Der Text wurde inzwischen geändert.")) from exc


def suggestion_apply(*, comment: Comment, actor: Any) -> Revision:
    """Replace the suggestion's block in the current text, credited to the suggester.

    See _applied_body for a paragraph that changed since; the save goes through
    revision_save() on the current revision.
    """
    with transaction.atomic():
        statement = _current_statement(comment.statement_id, lock=True)
        comment = (
            Comment.objects.select_for_update(of=("self",))
            .select_related("author")
            .get(pk=comment.pk)
        )
        _check_open(comment)
        if statement.state not in EDITABLE_STATES:
            raise DiscussionClosed(_("Der Text kann nicht mehr geändert werden."))
        current = statement.current_revision
        new_body = _applied_body(comment, current.body if current else "")
        name = comment.author.display_name if comment.author else FORMER_MEMBER
        revision = _save_body(
            statement,
            author=comment.author or actor,
            body=new_body,
            message=f"Vorschlag von {name} übernommen",
        )
        _mark_applied(comment, actor=actor, revision=revision, statement=statement)
        return revision


# --- several suggestions as one revision -----------------------------------------

# How many suggestions one batch may take: each costs a merge of the whole text.
BATCH_LIMIT = 20
NONE_CHOSEN = "none"


@dataclass(frozen=True)
class Overlap:
    """Suggestions that change the same place: the author takes one of them (or none)."""

    comments: tuple[Comment, ...]

    @property
    def key(self) -> str:
        return "-".join(str(c.pk) for c in self.comments)

    def choice(self, choices: Mapping[str, str]) -> str | None:
        """The pk chosen (as text), NONE_CHOSEN, or None when no valid choice was made."""
        value = choices.get(self.key, "")
        allowed = {str(c.pk) for c in self.comments} | {NONE_CHOSEN}
        return value if value in allowed else None


class SuggestionsOverlap(DiscussionError):
    """Some selected suggestions change the same place; nothing was written."""

    status = 409

    def __init__(self, overlaps: list[Overlap], comments: list[Comment], missing: bool) -> None:
        self.overlaps = overlaps
        self.comments = comments
        self.missing = missing
        super().__init__(
            _("Bitte wählen Sie bei jeder Überschneidung, welchen Vorschlag Sie übernehmen.")
            if missing
            else _("Einige der ausgewählten Vorschläge ändern dieselbe Stelle."),
            # Asked for the first time: a conflict; a page sent back without a choice: 400.
            status=400 if missing else 409,
        )


def _merge_in(base: str, merged: str, mine: str) -> str | None:
    """`mine` (base with one suggestion applied) merged into `merged`; None on overlap."""
    result = merge_body(base, merged, mine)
    return None if result.conflicts else result.text()


def _overlap_groups(base: str, comments: list[Comment], texts: dict[int, str]) -> list[Overlap]:
    """Groups of suggestions that overlap: the same paragraph, or changes that the
    three-way merge cannot put together. Pairs are joined into groups (union-find)."""
    parent = {c.pk: c.pk for c in comments}

    def root(pk: int) -> int:
        while parent[pk] != pk:
            pk = parent[pk]
        return pk

    def join(a: int, b: int) -> None:
        parent[root(a)] = root(b)

    first_on_block: dict[str, int] = {}
    for c in comments:
        if c.block_id in first_on_block:
            join(c.pk, first_on_block[c.block_id])
        else:
            first_on_block[c.block_id] = c.pk
    # One pass of merges; only a suggestion that does not merge is compared pairwise.
    merged, taken = base, []
    for c in comments:
        if root(c.pk) != c.pk or any(root(t.pk) == root(c.pk) for t in taken):
            continue
        attempt = _merge_in(base, merged, texts[c.pk])
        if attempt is not None:
            merged = attempt
            taken.append(c)
            continue
        for t in taken:
            if _merge_in(base, texts[t.pk], texts[c.pk]) is None:
                join(c.pk, t.pk)
        if root(c.pk) == c.pk and not any(root(t.pk) == c.pk for t in taken):
            # Overlaps only with the sum of several: make it overlap with all of them.
            for t in taken:
                join(c.pk, t.pk)
    groups: dict[int, list[Comment]] = {}
    for c in comments:
        groups.setdefault(root(c.pk), []).append(c)
    return [Overlap(tuple(g)) for g in groups.values() if len(g) > 1]


def _suggesters_message(comments: list[Comment]) -> str:
    names = []
    for c in comments:
        name = c.author.display_name if c.author else FORMER_MEMBER
        if name not in names:
            names.append(name)
    # Stored, like every change note, in the group's working language.
    with override(settings.LANGUAGE_CODE):
        return gettext("Vorschläge von %(names)s übernommen") % {
            "names": get_text_list(names, gettext("und"))
        }


def suggestions_apply(
    *,
    statement: Statement,
    comment_ids: list[int],
    actor: Any,
    choices: Mapping[str, str] | None = None,
) -> tuple[Revision, list[Comment]]:
    """Apply several open suggestions as one revision crediting every suggester.

    Overlapping suggestions (same paragraph, or changes the three-way merge cannot join)
    are found before anything is written: without a choice per overlap (`choices`:
    Overlap.key → a suggestion's pk or NONE_CHOSEN) SuggestionsOverlap is raised and
    nothing changes. Returns the revision and the suggestions it took.
    """
    ids = list(dict.fromkeys(comment_ids))
    if not ids:
        raise DiscussionError(_("Bitte wählen Sie mindestens einen Vorschlag aus."))
    if len(ids) > BATCH_LIMIT:
        raise DiscussionError(
            _("Bitte wählen Sie höchstens %(n)d Vorschläge auf einmal aus.") % {"n": BATCH_LIMIT}
        )
    with transaction.atomic():
        statement = _current_statement(statement.pk, lock=True)
        if statement.state not in EDITABLE_STATES:
            raise DiscussionClosed(_("Der Text kann nicht mehr geändert werden."))
        comments = list(
            Comment.objects.select_for_update(of=("self",))
            .select_related("author", "revision")
            .filter(pk__in=ids, statement=statement, parent=None)
            .exclude(suggestion_status="")
            .order_by("pk")
        )
        if len(comments) != len(ids):
            raise SuggestionNotOpen(_("Einer der Vorschläge gehört nicht zu diesem Text."))
        for c in comments:
            _check_open(c)
        current = statement.current_revision
        base = current.body if current else ""
        texts = {}
        for c in comments:
            try:
                texts[c.pk] = _applied_body(c, base)
            except SuggestionOutdated as exc:
                name = c.author.display_name if c.author else FORMER_MEMBER
                raise SuggestionOutdated(
                    _("Vorschlag von %(name)s: %(reason)s") % {"name": name, "reason": exc.message}
                ) from exc
        overlaps = _overlap_groups(base, comments, texts)
        chosen = dict(choices or {})
        if overlaps:
            if any(o.choice(chosen) is None for o in overlaps):
                raise SuggestionsOverlap(overlaps, comments, missing=choices is not None)
            dropped = {c.pk for o in overlaps for c in o.comments if str(c.pk) != o.choice(chosen)}
            comments = [c for c in comments if c.pk not in dropped]
            if not comments:
                raise DiscussionError(_("Sie haben keinen der Vorschläge gewählt."))
        body = base
        for c in comments:
            merged = _merge_in(base, body, texts[c.pk])
            if merged is None:  # the choices still overlap (only as a sum): ask again
                raise SuggestionsOverlap(
                    _overlap_groups(base, comments, texts) or [Overlap(tuple(comments))],
                    comments,
                    missing=True,
                )
            body = merged
        if len(comments) == 1:
            only = comments[0]
            name = only.author.display_name if only.author else FORMER_MEMBER
            author, message = only.author or actor, f"Vorschlag von {name} übernommen"
        else:
            author, message = actor, _suggesters_message(comments)
        revision = _save_body(statement, author=author, body=body, message=message)
        suggesters = {c.author_id for c in comments if c.author_id} - {author.pk}
        revision.credited.add(*suggesters)
        for c in comments:
            _mark_applied(c, actor=actor, revision=revision, statement=statement)
        return revision, comments


def suggestion_decline(*, comment: Comment, actor: Any, reason: str) -> Comment:
    reason = reason.strip()
    if not reason:
        raise DiscussionError(_("Bitte geben Sie einen Grund an."))
    with transaction.atomic():
        comment = (
            Comment.objects.select_for_update(of=("self",))
            .select_related("statement")
            .get(pk=comment.pk)
        )
        if comment.suggestion_status != SuggestionStatus.OPEN or comment.is_deleted:
            raise SuggestionNotOpen(_("Über diesen Vorschlag wurde schon entschieden."))
        now = timezone.now()
        comment.suggestion_status = SuggestionStatus.DECLINED
        comment.decline_reason = reason
        comment.suggestion_decided_by, comment.suggestion_decided_at = actor, now
        comment.is_resolved, comment.resolved_by, comment.resolved_at = True, actor, now
        comment.save(
            update_fields=[
                "suggestion_status",
                "decline_reason",
                "suggestion_decided_by",
                "suggestion_decided_at",
                "is_resolved",
                "resolved_by",
                "resolved_at",
            ]
        )
        emit(
            EventKind.SUGGESTION_DECLINED, statement=comment.statement, actor=actor, target=comment
        )
        return comment


def comment_report(*, comment: Comment, reporter: Any, reason: str) -> Report:
    """One open report per person and comment; reporting again keeps the first."""
    reason = reason.strip()
    if not reason:
        raise DiscussionError(_("Bitte geben Sie einen Grund an."))
    with transaction.atomic():
        existing = Report.objects.filter(comment=comment, reporter=reporter, handled=False).first()
        if existing is not None:
            return existing
        return Report.objects.create(comment=comment, reporter=reporter, reason=reason)


def comment_hide(*, comment: Comment, actor: Any, reason: str) -> Comment:
    reason = reason.strip()
    if not reason:
        raise DiscussionError(_("Bitte geben Sie einen Grund an."))
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        now = timezone.now()
        comment.is_hidden, comment.hidden_reason = True, reason
        comment.hidden_by, comment.hidden_at = actor, now
        comment.save(update_fields=["is_hidden", "hidden_reason", "hidden_by", "hidden_at"])
        comment.reports.filter(handled=False).update(handled=True, handled_by=actor, handled_at=now)
        return comment


def comment_unhide(*, comment: Comment, actor: Any) -> Comment:
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        comment.is_hidden, comment.hidden_reason = False, ""
        comment.hidden_by, comment.hidden_at = None, None
        comment.save(update_fields=["is_hidden", "hidden_reason", "hidden_by", "hidden_at"])
        return comment


def report_dismiss(*, report: Report, actor: Any) -> None:
    """The coordination looked at a report and leaves the comment visible."""
    Report.objects.filter(pk=report.pk, handled=False).update(
        handled=True, handled_by=actor, handled_at=timezone.now()
    )
