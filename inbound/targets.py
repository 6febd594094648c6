"""What a reply by e-mail can answer: a small registry of reply targets.

Each target has a one-letter code (it is part of the signed token, inbound.tokens),
finds its object, says whether the person may still answer there (the same permission
predicates as the web pages) and creates the answer through the owning app's service,
so notifications fire exactly as for an answer written on the site.

Registered here: a comment thread ("c"), a suggestion ("s"; answering one is a reply in
its thread) and a post to the e-mail list ("l"; maillist sits below this app, so it is
registered here rather than from maillist). An app higher up (public: an addressee's
answer to a published position, "a") registers its own from its AppConfig.ready().

Who may answer a list post by mail: members who may still read it. An outside
subscriber (no account) gets a reply address too, whose person number is 0; a reply to
it is answered with a friendly refusal (Decision.NOT_MEMBER) naming the contact address,
rather than landing unread in the sender mailbox. Posting by e-mail to the list address
(issue 18 item 5) is maillist/inbound.py, not a token.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from discussion import permissions as dperms
from discussion.models import Comment
from discussion.services import comment_reply
from maillist import services as maillist
from maillist.models import Post


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
    answer: Callable[..., Any]
    # Who the token's person number names; default: an active account. The object needs
    # `email` (and may have `language`).
    person: Callable[[int], Any | None] | None = None
    # The From must be that person's address (default). False: a reply forwarded inside
    # an office is taken, recording the real sender (the answer is not public before a
    # coordinator looks at it).
    strict_sender: bool = True
    # Attached files are handed to `answer(person, obj, text, mail=Received)` instead of
    # refused (an administration answers with a letter).
    keeps_attachments: bool = False


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class Received:
    """What a target that keeps attachments gets besides the typed text."""

    sender: str  # the From address
    sender_name: str  # the From's display name ("" when none)
    subject: str
    attachments: list[Attachment]


TARGETS: dict[str, ReplyTarget] = {}
# Codes kept for targets other apps register (the token format must not change later).
RESERVED = {"l": "list_post", "a": "position_answer"}


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


def _list_post(post_id: int) -> Post | None:
    return Post.objects.select_related("parent").filter(pk=post_id).first()


register(
    ReplyTarget(
        "l",
        "list_post",
        _list_post,
        maillist.may_reply,
        lambda user, post, text: maillist.post_reply(post=post, author=user, body=text),
    )
)

# What the notification mails name as their reply target.
COMMENT_THREAD, SUGGESTION, LIST_POST = "c", "s", "l"
