"""Context for this app's panel on the MEMBERS' statement page (see statements/panels.py).

Shows who co-signs a published statement and lets a member sign or revoke for the
organisations they are a confirmed member of; coordinators may add any organisation
that asked by e-mail. A constant number of queries: co-signatures, the member's
confirmed organisations (ids, then names), and for coordinators all organisations.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accounts.models import Organisation
from accounts.permissions import confirmed_organisation_ids
from public.models import CoSignature
from public.permissions import can_cosign, can_manage_cosigners, cosigning_open
from statements.models import Statement


def panel_context(request: HttpRequest, statement: Statement) -> dict[str, Any]:
    if not statement.is_public:
        return {"public_panel": None}
    user = request.user
    cosignatures = list(
        CoSignature.objects.filter(statement=statement)
        .select_related("organisation", "signed_by")
        .order_by("organisation__name")
    )
    signed_ids = {c.organisation_id for c in cosignatures}
    own = []
    if can_cosign(user, statement):
        own = [
            {"organisation": org, "signed": org.pk in signed_ids}
            for org in Organisation.objects.filter(
                pk__in=confirmed_organisation_ids(user)
            ).order_by("name")
        ]
    addable: list[Organisation] = []
    if can_manage_cosigners(user, statement):
        addable = list(Organisation.objects.exclude(pk__in=signed_ids).order_by("name"))
    return {
        "public_panel": {
            "open": cosigning_open(statement),
            "cosignatures": cosignatures,
            "own": own,
            "addable": addable,
            "can_manage": can_manage_cosigners(user, statement),
        }
    }
