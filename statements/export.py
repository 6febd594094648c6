"""This person's part in statements, for their personal data export (collected by accounts).

Papers they started or co-author and every revision they saved (with its text,
since they wrote it). Other people's revisions are not included.
"""

from __future__ import annotations

from typing import Any

from statements.models import Coauthorship, Revision, Statement


def user_data(user: Any) -> dict[str, Any]:
    started = [
        {
            "statement": s.title,
            "slug": s.slug,
            "state": s.state,
            "created_at": s.created_at.isoformat(),
        }
        for s in Statement.objects.filter(created_by=user).order_by("created_at", "pk")
    ]
    coauthored = [
        {
            "statement": c.statement.title,
            "slug": c.statement.slug,
            "added_at": c.added_at.isoformat(),
        }
        for c in Coauthorship.objects.filter(user=user)
        .select_related("statement")
        .order_by("added_at", "pk")
    ]
    revisions = [
        {
            "statement": r.statement.slug,
            "number": r.number,
            "created_at": r.created_at.isoformat(),
            "message": r.message,
            "title": r.title,
            "occasion": r.occasion,
            "summary": r.summary,
            "body": r.body,
        }
        for r in Revision.objects.filter(author=user)
        .select_related("statement")
        .order_by("created_at", "pk")
    ]
    return {
        "statements_started": started,
        "coauthorships": coauthored,
        "revisions": revisions,
    }
