"""Who may do what on the e-mail list."""

from __future__ import annotations

from typing import Any

from accounts.permissions import is_coordinator, is_member
from maillist.models import Post, PostState


def can_post(user: Any) -> bool:
    return is_member(user)


def can_approve(user: Any) -> bool:
    return is_coordinator(user)


def can_read(user: Any, post: Post) -> bool:
    """Sent posts: public ones for everybody, the rest for members. A held or declined
    post: its author and the coordination."""
    if post.state == PostState.SENT:
        return post.is_public or is_member(user)
    if not is_member(user):
        return False
    return is_coordinator(user) or post.author_id == user.pk


def can_reply(user: Any, post: Post) -> bool:
    """A reply (by e-mail, written into the post's thread): members who may read the
    post. Outside subscribers have no account here; their replies are refused politely
    (inbound). The reply is as visible as the post."""
    return is_member(user) and post.state == PostState.SENT and can_read(user, post)
