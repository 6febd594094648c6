"""Fetch-and-check: load a statement for a user and an intent, or raise.

404 for those who must not know the paper exists; 403 for those who may see
it but not do this. Views call this first, then a service.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from statements import permissions as perms
from statements.models import Statement

NEEDS: dict[str, Callable[[Any, Statement], bool]] = {
    "view": perms.can_view,
    "internal": perms.can_view_internal,
    "edit": perms.can_edit,
    "history": perms.can_view_history,
    "coauthors": perms.can_manage_coauthors,
}


def statement_for(user: Any, slug: str, need: str = "view", *, queryset: Any = None) -> Statement:
    qs = (
        queryset
        if queryset is not None
        else Statement.objects.select_related("current_revision", "created_by")
    )
    try:
        statement = qs.get(slug=slug)
    except Statement.DoesNotExist:
        raise Http404 from None
    if not perms.can_view(user, statement):
        raise Http404
    if need == "view":
        return statement
    if not perms.can_view_internal(user, statement):
        # Public readers of a published paper must not learn that internal pages exist.
        raise Http404
    if not NEEDS[need](user, statement):
        raise PermissionDenied
    return statement
