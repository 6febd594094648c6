"""The discussion part of a person's data export (collected by accounts)."""

from __future__ import annotations

from typing import Any

from discussion.models import Comment, Mention, Report
from statements.export import readable, title_for


def user_data(user: Any) -> dict[str, Any]:
    """Only this person's own writing: comments, their earlier versions, reports, mentions.

    Their comment and their suggested block are theirs; the paper's title only while
    they may see the paper (it may be back in draft under a new title).
    """
    comments = list(
        Comment.objects.filter(author=user, deleted_at__isnull=True)
        .select_related("statement")
        .prefetch_related("versions")
        .order_by("created_at", "pk")
    )
    mentions = list(
        Mention.objects.filter(user=user, comment__deleted_at__isnull=True)
        .select_related("comment__statement")
        .order_by("created_at", "pk")
    )
    visible = readable(
        user, [c.statement for c in comments] + [m.comment.statement for m in mentions]
    )
    return {
        "comments": [
            {
                "statement": title_for(c.statement, visible),
                "created_at": c.created_at.isoformat(),
                "edited_at": c.edited_at.isoformat() if c.edited_at else None,
                "is_reply": c.parent_id is not None,
                "body": c.body,
                "suggestion": c.suggestion_text,
                "suggestion_status": c.suggestion_status,
                "hidden_by_coordination": c.is_hidden,
                "hidden_reason": c.hidden_reason,
                "earlier_versions": [
                    {"written_at": v.written_at.isoformat(), "body": v.body}
                    for v in c.versions.all()
                ],
            }
            for c in comments
        ],
        "reports_filed": [
            {"created_at": r.created_at.isoformat(), "reason": r.reason, "handled": r.handled}
            for r in Report.objects.filter(reporter=user).order_by("created_at", "pk")
        ],
        "mentioned_in": [
            {"statement": title_for(m.comment.statement, visible), "at": m.created_at.isoformat()}
            for m in mentions
        ],
    }
