"""Personal data export: the co-signatures this person signed or entered."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from public.models import CoSignature


def user_data(user: Any) -> dict[str, Any]:
    rows = (
        CoSignature.objects.filter(Q(signed_by=user) | Q(added_by=user))
        .select_related("organisation", "statement")
        .order_by("created_at")
    )
    return {
        "cosignatures": [
            {
                "statement": c.statement.title,
                "statement_slug": c.statement.slug,
                "organisation": c.organisation.name,
                "signed_by_me": c.signed_by_id == user.pk,
                "entered_by_me": c.added_by_id == user.pk,
                "created_at": c.created_at.isoformat(),
            }
            for c in rows
        ]
    }
