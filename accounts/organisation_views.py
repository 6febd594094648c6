"""Who belongs to which organisation: the coordination's queue of requests and each
organisation's page, where coordinators and the organisation's contacts confirm or
decline. Small views: guard, fetch, call a service (which checks again)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from accounts import services
from accounts.decorators import coordinator_required, member_required
from accounts.models import Organisation, OrganisationMembership, OrganisationMembershipStatus
from accounts.permissions import (
    can_decide_organisation_membership,
    can_set_organisation_contact,
    is_coordinator,
)

MS = OrganisationMembershipStatus


@require_safe
@coordinator_required
def membership_queue(request: HttpRequest) -> HttpResponse:
    """Open requests of every organisation, oldest first."""
    pending = (
        OrganisationMembership.objects.filter(status=MS.REQUESTED)
        .select_related("user", "organisation")
        .order_by("requested_at", "pk")
    )
    return render(request, "accounts/membership_queue.html", {"pending": pending})


@require_safe
@member_required
def organisation_members(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    if not can_decide_organisation_membership(request.user, organisation.pk):
        raise PermissionDenied
    memberships = list(
        organisation.memberships.select_related("user", "decided_by").order_by(
            "user__display_name", "pk"
        )
    )
    context = {
        "organisation": organisation,
        "requested": [m for m in memberships if m.status == MS.REQUESTED],
        "confirmed": [m for m in memberships if m.status == MS.CONFIRMED],
        "declined": [m for m in memberships if m.status == MS.DECLINED],
        "can_set_contact": can_set_organisation_contact(request.user),
        "is_coordinator": is_coordinator(request.user),
    }
    return render(request, "accounts/organisation_members.html", context)


# Each action on a membership: the service call and what the confirmation says.
MEMBERSHIP_ACTIONS: dict[str, tuple[Any, Any]] = {
    "confirm": (
        lambda pk, by: services.organisation_membership_decide(
            membership_id=pk, by=by, confirm=True
        ),
        gettext_lazy("%(name)s gehört jetzt bestätigt zu %(org)s."),
    ),
    "decline": (
        lambda pk, by: services.organisation_membership_decide(
            membership_id=pk, by=by, confirm=False
        ),
        gettext_lazy("%(name)s kann nicht für %(org)s zeichnen."),
    ),
    "make_contact": (
        lambda pk, by: services.organisation_contact_set(membership_id=pk, by=by, value=True),
        gettext_lazy("%(name)s ist jetzt Ansprechperson für %(org)s."),
    ),
    "remove_contact": (
        lambda pk, by: services.organisation_contact_set(membership_id=pk, by=by, value=False),
        gettext_lazy("%(name)s ist nicht mehr Ansprechperson für %(org)s."),
    ),
}


@require_POST
@member_required
def membership_action(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(
        OrganisationMembership.objects.select_related("user", "organisation"), pk=pk
    )
    if not can_decide_organisation_membership(request.user, membership.organisation_id):
        raise PermissionDenied
    action = MEMBERSHIP_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        return HttpResponse(_("Unbekannte Aktion."), status=400)
    run, done = action
    try:
        run(membership.pk, request.user)
    except services.MembershipError as exc:
        messages.error(request, exc.message)
    else:
        names = {"name": membership.user, "org": membership.organisation.name}
        messages.success(request, done % names)
    # Back where the click came from: the coordination's queue or the organisation's page.
    if request.POST.get("back") == "queue" and is_coordinator(request.user):
        return redirect("accounts:membership_queue")
    return redirect("accounts:organisation_members", pk=membership.organisation_id)
