"""This person's part in statements, for their personal data export (collected by accounts).

Papers they started or co-author and every revision credited to them. An export
holds what the person wrote and never text they may not read now: a revision is
also credited to a member whose suggestion an author applied (in draft, too), and
then carries the whole draft. So a revision's text, and any paper's title or slug
in any app's export, appear only while the person may see the paper
(statements.permissions.can_view); their own suggested block is in the
discussion part.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q

from statements.models import Autosave, Coauthorship, Companion, Revision, Statement
from statements.permissions import can_view, prime_author_ids


def readable(user: Any, statements: Iterable[Statement | None]) -> set[int]:
    """Ids of the papers among `statements` that `user` may see now (one query)."""
    papers = [s for s in statements if s is not None]
    prime_author_ids(papers)
    return {s.pk for s in papers if can_view(user, s)}


def title_for(statement: Statement | None, readable_ids: set[int]) -> str | None:
    """The paper's title for an export, or None when the person may not see it now."""
    return statement.title if statement is not None and statement.pk in readable_ids else None


def slug_for(statement: Statement | None, readable_ids: set[int]) -> str | None:
    return statement.slug if statement is not None and statement.pk in readable_ids else None


def _revision(revision: Revision, visible: set[int]) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "statement": slug_for(revision.statement, visible),
        "number": revision.number,
        "created_at": revision.created_at.isoformat(),
    }
    if revision.statement_id in visible:
        entry.update(
            message=revision.message,
            title=revision.title,
            occasion=revision.occasion,
            summary=revision.summary,
            body=revision.body,
        )
    return entry


def user_data(user: Any) -> dict[str, Any]:
    papers = list(Statement.objects.filter(created_by=user).order_by("created_at", "pk"))
    coauthorships = list(
        Coauthorship.objects.filter(user=user)
        .select_related("statement")
        .order_by("added_at", "pk")
    )
    credited = list(
        Revision.objects.filter(author=user)
        .select_related("statement")
        .order_by("created_at", "pk")
    )
    # The editor's unsaved text: it holds the paper's text too, so only while readable.
    kept = list(Autosave.objects.filter(user=user).select_related("statement").order_by("pk"))
    # Plain-language versions and translations one wrote or approved (issue 19).
    versions = list(
        Companion.objects.filter(Q(written_by=user) | Q(reviewed_by=user))
        .select_related("statement")
        .order_by("pk")
    )
    visible = readable(
        user,
        [
            *papers,
            *(c.statement for c in coauthorships),
            *(r.statement for r in credited),
            *(a.statement for a in kept),
            *(v.statement for v in versions),
        ],
    )
    started = [
        {
            "statement": title_for(s, visible),
            "slug": slug_for(s, visible),
            "state": s.state,
            "created_at": s.created_at.isoformat(),
        }
        for s in papers
    ]
    coauthored = [
        {
            "statement": title_for(c.statement, visible),
            "slug": slug_for(c.statement, visible),
            "added_at": c.added_at.isoformat(),
        }
        for c in coauthorships
    ]
    return {
        "statements_started": started,
        "coauthorships": coauthored,
        "revisions": [_revision(r, visible) for r in credited],
        "unsaved_texts": [
            {"statement": slug_for(a.statement, visible), "saved_at": a.saved_at.isoformat()}
            | (
                {"title": a.title, "occasion": a.occasion, "summary": a.summary, "body": a.body}
                if a.statement_id in visible
                else {}
            )
            for a in kept
        ],
        "companion_versions": [
            {
                "statement": slug_for(v.statement, visible),
                "language": v.code,
                "written": v.written_by_id == user.pk,
                "approved": v.reviewed_by_id == user.pk,
            }
            | ({"title": v.title, "body": v.body} if v.statement_id in visible else {})
            for v in versions
        ],
    }
