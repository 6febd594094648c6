"""Who may do what in a statement's discussion: one named predicate per action.

docs/product.md: comments during draft (authors and coordinators) and consultation
(all members); read-only afterwards but still visible to members who may see
the paper's internal view. Authors of the paper decide on suggestions while the
text is editable; authors and coordinators resolve threads; any member who sees
a comment may report it; coordinators hide and unhide.

All predicates accept AnonymousUser and return False for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from accounts.permissions import is_coordinator, is_member
from statements import permissions as sperms
from statements.states import EDITABLE_STATES, State

if TYPE_CHECKING:
    from discussion.models import Comment
    from statements.models import Statement


def can_view_comments(user: Any, statement: Statement) -> bool:
    return sperms.can_view_internal(user, statement)


def can_comment(user: Any, statement: Statement) -> bool:
    if not can_view_comments(user, statement):
        return False
    if statement.state == State.DRAFT:
        return sperms.is_author(user, statement) or is_coordinator(user)
    return statement.state == State.CONSULTATION


def can_see_content(user: Any, comment: Comment) -> bool:
    """Hidden text is for the coordination and the comment's own author only."""
    if not comment.is_hidden:
        return True
    return is_coordinator(user) or (is_member(user) and comment.author_id == user.pk)


def _is_open_thread_root(comment: Comment) -> bool:
    return comment.parent_id is None and not comment.is_deleted and not comment.is_hidden


def can_reply(user: Any, comment: Comment) -> bool:
    return _is_open_thread_root(comment) and can_comment(user, comment.statement)


def _is_own(user: Any, comment: Comment) -> bool:
    return is_member(user) and comment.author_id == user.pk and not comment.is_deleted


def can_edit_comment(user: Any, comment: Comment) -> bool:
    # A decided suggestion is history: editing it would rewrite what was applied.
    if comment.suggestion_status not in ("", "open"):
        return False
    return _is_own(user, comment) and not comment.is_hidden and can_comment(user, comment.statement)


def can_delete_comment(user: Any, comment: Comment) -> bool:
    return _is_own(user, comment) and can_comment(user, comment.statement)


def can_suggest(user: Any, statement: Statement) -> bool:
    return statement.state in EDITABLE_STATES and can_comment(user, statement)


def _can_decide(user: Any, comment: Comment) -> bool:
    statement = comment.statement
    return (
        comment.suggestion_status == "open"
        and not comment.is_deleted
        and not comment.is_hidden
        and statement.state in EDITABLE_STATES
        and sperms.is_author(user, statement)
    )


def can_apply(user: Any, comment: Comment) -> bool:
    return _can_decide(user, comment)


def can_decline(user: Any, comment: Comment) -> bool:
    return _can_decide(user, comment)


def may_ask_to_decide(user: Any, comment: Comment) -> bool:
    """Who may send an apply/decline request at all: the paper's authors, while it is editable.

    Whether the suggestion is still open is the service's question, so that a second
    click on a stale button gets "already decided" rather than a bare 403.
    """
    statement = comment.statement
    return (
        comment.is_suggestion
        and statement.state in EDITABLE_STATES
        and sperms.is_author(user, statement)
    )


def can_apply_several(user: Any, statement: Statement) -> bool:
    """Select several suggestions and apply them as one revision: the paper's authors,
    while its text may change (each suggestion's own state is the service's question)."""
    return statement.state in EDITABLE_STATES and sperms.is_author(user, statement)


def can_resolve(user: Any, comment: Comment) -> bool:
    """Resolve or reopen a thread (only while the discussion is open)."""
    statement = comment.statement
    if comment.parent_id is not None or comment.is_deleted:
        return False
    if statement.state not in EDITABLE_STATES or not can_view_comments(user, statement):
        return False
    return sperms.is_author(user, statement) or is_coordinator(user)


def can_report(user: Any, comment: Comment) -> bool:
    return (
        can_view_comments(user, comment.statement)
        and not comment.is_deleted
        and not comment.is_hidden
        and comment.author_id != user.pk
    )


def can_hide(user: Any, comment: Comment) -> bool:
    return is_coordinator(user) and can_view_comments(user, comment.statement)


@dataclass(frozen=True)
class Viewer:
    """One reader's standing on one paper, computed once for a whole discussion.

    The statement page shows many comments; asking the predicates above for each
    would ask `is_member` and friends thousands of times per request. `viewer()`
    asks them once, and the methods below answer per comment from plain fields,
    each the same rule as the predicate of the same name (tests/discussion/
    test_permission_table.py checks that they agree).
    """

    uid: Any
    member: bool
    coordinator: bool
    author: bool
    view: bool
    comment: bool
    suggest: bool
    editable: bool

    def can_see_content(self, c: Comment) -> bool:
        return not c.is_hidden or self.coordinator or (self.member and c.author_id == self.uid)

    def can_reply(self, c: Comment) -> bool:
        return _is_open_thread_root(c) and self.comment

    def _is_own(self, c: Comment) -> bool:
        return self.member and c.author_id == self.uid and not c.is_deleted

    def can_edit_comment(self, c: Comment) -> bool:
        if c.suggestion_status not in ("", "open"):
            return False
        return self._is_own(c) and not c.is_hidden and self.comment

    def can_delete_comment(self, c: Comment) -> bool:
        return self._is_own(c) and self.comment

    def can_decide(self, c: Comment) -> bool:
        """can_apply and can_decline."""
        return (
            c.suggestion_status == "open"
            and not c.is_deleted
            and not c.is_hidden
            and self.editable
            and self.author
        )

    def can_resolve(self, c: Comment) -> bool:
        if c.parent_id is not None or c.is_deleted:
            return False
        return self.editable and self.view and (self.author or self.coordinator)

    def can_report(self, c: Comment) -> bool:
        return self.view and not c.is_deleted and not c.is_hidden and c.author_id != self.uid

    def can_hide(self, c: Comment) -> bool:
        return self.coordinator and self.view


def viewer(user: Any, statement: Statement) -> Viewer:
    return Viewer(
        uid=getattr(user, "pk", None),
        member=is_member(user),
        coordinator=is_coordinator(user),
        author=sperms.is_author(user, statement),
        view=can_view_comments(user, statement),
        comment=can_comment(user, statement),
        suggest=can_suggest(user, statement),
        editable=statement.state in EDITABLE_STATES,
    )
