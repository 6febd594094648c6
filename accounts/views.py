"""Profile, membership and coordination pages. Small views: guard, fetch, call a service."""

from __future__ import annotations

import json
from typing import Any

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.i18n import set_language as django_set_language

from accounts import services
from accounts.decorators import coordinator_required, member_required
from accounts.export import collect_user_data
from accounts.forms import (
    INVITATION_SESSION_KEY,
    AccountDeleteForm,
    AdmissionDecisionForm,
    AdmissionRequestForm,
    InvitationForm,
    OrganisationForm,
    ProfileForm,
)
from accounts.models import (
    AdmissionDecision,
    AdmissionRequest,
    Invitation,
    Organisation,
    OrganisationMembership,
    OrganisationMembershipStatus,
    User,
)
from accounts.permissions import can_request_admission, is_member, organisation_roles
from core.confirm import confirmation_needed
from core.errors import refusal

# --- Profile -------------------------------------------------------------------------


def _profile_page(
    request: HttpRequest,
    *,
    form: ProfileForm | None = None,
    admission_form: AdmissionRequestForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    can_request = can_request_admission(user)
    context = {
        "form": form or ProfileForm(instance=user),
        "admission_form": admission_form or (AdmissionRequestForm() if can_request else None),
        "requests": user.admission_requests.order_by("-created_at")[:5],
        "is_member": is_member(user),
        "contact_organisations": Organisation.objects.filter(
            pk__in=[pk for pk, contact in organisation_roles(user).items() if contact]
        ).annotate(
            requested_count=Count(
                "memberships",
                filter=Q(memberships__status=OrganisationMembershipStatus.REQUESTED),
            )
        ),
    }
    return render(request, "accounts/profile.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def profile(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":  # GET and HEAD: the form page
        return _profile_page(request)
    form = ProfileForm(request.POST, instance=request.user)
    if not form.is_valid():
        return _profile_page(request, form=form, status=400)
    try:
        services.profile_update(
            user=request.user,
            display_name=form.cleaned_data["display_name"],
            language=form.cleaned_data["language"],
            organisations=list(form.cleaned_data["organisations"]),
        )
    except services.DisplayNameTaken as exc:  # chosen by someone else a moment ago
        request.user.refresh_from_db()
        form.add_error("display_name", exc.message)
        return _profile_page(request, form=form, status=400)
    messages.success(request, _("Ihr Profil wurde gespeichert."))
    if form.requested_new:
        messages.info(
            request,
            _(
                "Ihre Zugehörigkeit ist angefragt. Sobald die Koordination oder die "
                "Ansprechperson der Organisation sie bestätigt, können Sie für die "
                "Organisation mitzeichnen."
            ),
        )
    response = redirect("accounts:profile")
    # The profile language is the new choice; an older switch cookie must not override it.
    response.delete_cookie("django_language")
    return response


@require_POST
@login_required
def admission_request(request: HttpRequest) -> HttpResponse:
    form = AdmissionRequestForm(request.POST)
    if not form.is_valid():
        return _profile_page(request, admission_form=form, status=400)
    try:
        services.admission_request_create(
            user=request.user,
            organisation_text=form.cleaned_data["organisation_text"],
            reason=form.cleaned_data["reason"],
        )
    except services.MembershipError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:profile")
    messages.success(request, _("Danke! Ihr Antrag ist bei der Koordination angekommen."))
    return redirect("accounts:profile")


@require_safe
@login_required
def profile_export(request: HttpRequest) -> HttpResponse:
    data = collect_user_data(request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str),
        content_type="application/json; charset=utf-8",
    )
    filename = f"rtm-meine-daten-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def account_delete(request: HttpRequest) -> HttpResponse:
    form = AccountDeleteForm(request.POST or None, user=request.user)
    # The password check must not become a guessing oracle for a borrowed session.
    if request.method == "POST" and not ratelimit.consume(
        request, action="reauthenticate", user=request.user
    ):
        messages.error(request, _("Zu viele Versuche. Bitte warten Sie eine Minute."))
        return render(request, "accounts/delete.html", {"form": form}, status=429)
    if request.method == "POST" and form.is_valid():
        result = services.account_delete(user=request.user)
        if result.deleted:
            logout(request)
            messages.success(request, _("Ihr Konto wurde gelöscht. Auf Wiedersehen!"))
            return redirect("public:home")
        messages.error(request, result.message)
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/delete.html", {"form": form}, status=status)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language (cookie + redirect), remembering the choice on the profile."""
    response = django_set_language(request)
    if request.user.is_authenticated:
        services.user_language_set(user=request.user, language=request.POST.get("language", ""))
    return response


# --- Members ---------------------------------------------------------------------


@require_safe
@member_required
def directory(request: HttpRequest) -> HttpResponse:
    members = (
        User.objects.members()
        .only("id", "display_name", "email", "is_coordinator")
        .prefetch_related(
            # Only confirmed memberships: a tick nobody checked is not shown as a fact.
            Prefetch(
                "organisation_memberships",
                queryset=OrganisationMembership.objects.filter(
                    status=OrganisationMembershipStatus.CONFIRMED
                ).select_related("organisation"),
                to_attr="confirmed_organisations",
            )
        )
        .order_by("display_name", "id")
    )
    return render(request, "accounts/directory.html", {"members": members})


# --- Coordination: admissions -------------------------------------------------------


def _queue_page(
    request: HttpRequest,
    *,
    errors: dict[int, AdmissionDecisionForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    pending = (
        AdmissionRequest.objects.filter(decision=AdmissionDecision.PENDING)
        .select_related("user")
        .order_by("created_at")
    )
    errors = errors or {}
    rows = [(r, errors.get(r.pk) or AdmissionDecisionForm(prefix=f"r{r.pk}")) for r in pending]
    recent = (
        AdmissionRequest.objects.exclude(decision=AdmissionDecision.PENDING)
        .select_related("user", "decided_by")
        .order_by("-decided_at")[:10]
    )
    return render(
        request, "accounts/admission_queue.html", {"rows": rows, "recent": recent}, status=status
    )


@require_safe
@coordinator_required
def admission_queue(request: HttpRequest) -> HttpResponse:
    return _queue_page(request)


@require_POST
@coordinator_required
def admission_decide(request: HttpRequest, pk: int) -> HttpResponse:
    admission = get_object_or_404(AdmissionRequest, pk=pk)
    form = AdmissionDecisionForm(request.POST, prefix=f"r{pk}")
    if not form.is_valid():
        return _queue_page(request, errors={pk: form}, status=400)
    try:
        services.admission_decide(
            admission_request_id=admission.pk,
            coordinator=request.user,
            admit=form.cleaned_data["decision"] == "admit",
            message=form.cleaned_data["message"],
        )
    except services.MembershipError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:admission_queue")
    messages.success(request, _("Die Entscheidung wurde gespeichert."))
    return redirect("accounts:admission_queue")


# --- Coordination: people ------------------------------------------------------------


@require_safe
@coordinator_required
def member_admin(request: HttpRequest) -> HttpResponse:
    people = User.objects.prefetch_related(
        Prefetch(
            "organisation_memberships",
            queryset=OrganisationMembership.objects.select_related("organisation"),
        )
    ).order_by("display_name", "id")
    return render(request, "accounts/member_admin.html", {"people": people})


# Each action of the people list: the service call and what the confirmation says.
MEMBER_ACTIONS: dict[str, tuple[Any, Any]] = {
    "suspend": (
        lambda pk, by, data: services.member_suspend(
            user_id=pk, by=by, reason=data.get("reason", "")
        ),
        gettext_lazy("%(name)s ist jetzt gesperrt."),
    ),
    "reinstate": (
        lambda pk, by, data: services.member_reinstate(user_id=pk, by=by),
        gettext_lazy("%(name)s ist wieder Mitglied."),
    ),
    "make_coordinator": (
        lambda pk, by, data: services.coordinator_role_set(user_id=pk, by=by, value=True),
        gettext_lazy("%(name)s gehört jetzt zur Koordination."),
    ),
    "remove_coordinator": (
        lambda pk, by, data: services.coordinator_role_set(user_id=pk, by=by, value=False),
        gettext_lazy("%(name)s gehört nicht mehr zur Koordination."),
    ),
}


@require_POST
@coordinator_required
def member_action(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(User, pk=pk)
    action = MEMBER_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        return HttpResponse(_("Unbekannte Aktion."), status=400)
    run, done = action
    if request.POST.get("action") == "make_coordinator":
        page = confirmation_needed(
            request,
            title=_("Koordinationsrechte vergeben?"),
            text=_(
                "%(name)s kann dann Mitglieder aufnehmen und sperren, Abstimmungen eröffnen "
                "und schließen und Positionen veröffentlichen."
            )
            % {"name": person},
            button=_("Ja, %(name)s zur Koordination machen") % {"name": person},
            cancel_url=reverse("accounts:member_admin"),
        )
        if page is not None:
            return page
    try:
        run(person.pk, request.user, request.POST)
    except services.MembershipError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done % {"name": person})
    return redirect("accounts:member_admin")


# --- Coordination: organisations -------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.organisation_create(
            name=form.cleaned_data["name"],
            kind=form.cleaned_data["kind"],
            website=form.cleaned_data["website"],
        )
        messages.success(request, _("Die Organisation wurde angelegt."))
        return redirect("accounts:organisation_list")
    confirmed, requested = (
        OrganisationMembershipStatus.CONFIRMED,
        OrganisationMembershipStatus.REQUESTED,
    )
    organisations = Organisation.objects.annotate(
        confirmed_count=Count("memberships", filter=Q(memberships__status=confirmed)),
        requested_count=Count("memberships", filter=Q(memberships__status=requested)),
    ).order_by("name")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "accounts/organisation_list.html",
        {"organisations": organisations, "form": form},
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        services.organisation_update(
            organisation_id=organisation.pk,
            name=form.cleaned_data["name"],
            kind=form.cleaned_data["kind"],
            website=form.cleaned_data["website"],
        )
        messages.success(request, _("Die Organisation wurde gespeichert."))
        return redirect("accounts:organisation_list")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "accounts/organisation_edit.html",
        {"organisation": organisation, "form": form},
        status=status,
    )


# --- Invitations ---------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def invitation_list(request: HttpRequest) -> HttpResponse:
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create(
                email=form.cleaned_data["email"],
                invited_by=request.user,
                message=form.cleaned_data["message"],
            )
        except services.MembershipError as exc:
            form.add_error("email", exc.message)
        else:
            messages.success(request, _("Die Einladung wurde verschickt."))
            return redirect("accounts:invitation_list")
    invitations = Invitation.objects.select_related("invited_by", "accepted_by", "revoked_by")[:50]
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "accounts/invitation_list.html",
        {"invitations": invitations, "form": form},
        status=status,
    )


@require_POST
@coordinator_required
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation, pk=pk)
    try:
        services.invitation_revoke(invitation_id=invitation.pk, revoked_by=request.user)
    except services.MembershipError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Die Einladung an %(email)s wurde zurückgenommen; der Link gilt nicht mehr.")
            % {"email": invitation.email},
        )
    return redirect("accounts:invitation_list")


@require_http_methods(["GET", "HEAD", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the invitation mail. Opening it changes nothing (mail scanners and
    link previews open links too): GET shows what the invitation is, with a button; the
    POST admits a signed-in invitee, or remembers the invitation and goes on to sign-up."""
    try:
        invitation = services.invitation_from_token(token)
    except services.InvitationInvalid as exc:
        return refusal(request, exc, "accounts/invitation_invalid.html", {"reason": exc.reason})
    user = request.user
    if user.is_authenticated and not is_member(user):
        if invitation.email.lower() != user.email.lower():
            raise PermissionDenied(_("Diese Einladung gilt für eine andere E-Mail-Adresse."))
    if request.method != "POST":
        return render(
            request,
            "accounts/invitation_accept.html",
            {"invitation": invitation, "already_member": is_member(user)},
        )
    if user.is_authenticated:
        if services.invitation_accept_signed_in(invitation=invitation, user=user):
            messages.success(request, _("Willkommen! Sie sind jetzt Mitglied."))
            return redirect("statements:dashboard")
        if is_member(user):
            messages.info(request, _("Sie sind bereits Mitglied."))
            return redirect("accounts:profile")
        raise PermissionDenied(_("Diese Einladung gilt für eine andere E-Mail-Adresse."))
    request.session[INVITATION_SESSION_KEY] = token
    messages.info(
        request,
        _(
            "Legen Sie ein Konto mit der eingeladenen E-Mail-Adresse an; nach der Bestätigung "
            "Ihrer Adresse sind Sie Mitglied."
        ),
    )
    return redirect(f"{reverse('account_signup')}?{urlencode({'email': invitation.email})}")
