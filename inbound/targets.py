"""What a reply by e-mail can answer: a small registry of reply targets.

Each target has a one-letter code (it is part of the signed token, inbound.tokens),
finds its object, says whether the person may still answer there (the same permission
predicates as the web pages) and creates the answer through the owning app's service,
so notifications fire exactly as for an answer written on the site.

Registered here: a comment thread ("c") and a suggestion ("s"; answering one is a reply
in its thread). An app higher up registers its own target from its AppConfig.ready():

    TODO(maillist): register ReplyTarget(code="l", name="list_post", …) from
    maillist.apps: find the list post, `may_answer` = the person may read the post,
    `answer` = the maillist service that adds a reply to the post (item 4), and a
    second path for posting by e-mail to the list address (item 5, held for approval
    per type exactly as a web post) that does not need a token — see docs/architecture.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from discussion import permissions as dperms
from discussion.models import Comment
from discussion.services import comment_reply


@dataclass(frozen=True)
class ReplyTarget:
    code: str  # one lower-case letter, stored in the token
    name: str
    # The object for an id, or None when it is gone.
    find: Callable[[int], Any | None]
    # May this person still answer there (the web's predicate)?
    may_answer: Callable[[Any, Any], bool]
    # Create the answer as that person; returns the created object. Raises a
    # core.errors.ServiceError (its message is bounced) when the owning app refuses.
    answer: Callable[[Any, Any, str], Any]


TARGETS: dict[str, ReplyTarget] = {}
# Codes kept for targets other apps register (the token format must not change later).
RESERVED = {"l": "list_post"}  # TODO(maillist): register ReplyTarget("l", "list_post", …)


def register(target: ReplyTarget) -> None:
    if len(target.code) != 1 or not target.code.isalpha() or not target.code.islower():
        raise ValueError(f"reply target code must be one lower-case letter: {target.code!r}")
    if RESERVED.get(target.code, target.name) != target.name:
        raise ValueError(f"reply target code {target.code!r} is kept for {RESERVED[target.code]}")
    existing = TARGETS.get(target.code)
    if existing is not None and existing.name != target.name:
        raise ValueError(f"reply target code {target.code!r} is taken by {existing.name}")
    TARGETS[target.code] = target


def _thread_root(comment_id: int) -> Comment | None:
    comment = Comment.objects.select_related("statement", "parent").filter(pk=comment_id).first()
    if comment is None:
        return None
    return comment.parent if comment.parent_id else comment


def _suggestion(comment_id: int) -> Comment | None:
    root = _thread_root(comment_id)
    return root if root is not None and root.is_suggestion else None


def _may_reply(user: Any, root: Comment) -> bool:
    return dperms.can_reply(user, root)


def _reply(user: Any, root: Comment, text: str) -> Comment:
    return comment_reply(parent=root, author=user, body=text, throttle=True)


register(ReplyTarget("c", "comment_thread", _thread_root, _may_reply, _reply))
register(ReplyTarget("s", "suggestion", _suggestion, _may_reply, _reply))

# What the notification mails name as their reply target.
COMMENT_THREAD, SUGGESTION = "c", "s"
