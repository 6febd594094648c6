"""Every write on the accounts side: sign-up details, admission, membership, invitations,
organisations, profile, language and account deletion.

Views, the allauth adapter, management commands and demo data call these functions;
nobody else writes to accounts' tables. Events go to core.events.emit() inside
the transaction; mail leaves only after commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from accounts.models import (
    AdmissionDecision,
    AdmissionRequest,
    Invitation,
    Language,
    MembershipStatus,
    Organisation,
    OrganisationMembership,
    OrganisationMembershipStatus,
    User,
)
from accounts.permissions import (
    can_decide_organisation_membership,
    can_request_admission,
    can_set_organisation_contact,
    forget_organisation_roles,
    is_coordinator,
)
from core import pagecache
from core.errors import ServiceError
from core.events import EventKind, emit
from core.text import clean_line, display_name_key

INVITATION_SALT = "accounts.invitation"


class MembershipError(ServiceError):
    """A membership action that is not possible in the current state (shown to the user)."""

    status = 409


class DisplayNameTaken(ServiceError):
    """Someone else has this display name or one that looks the same (the forms check
    first; this is the backstop for two people choosing it at the same moment)."""

    message = _(
        "Dieser Name ist schon vergeben oder sieht einem vergebenen Namen zum Verwechseln "
        "ähnlich. Bitte wählen Sie einen anderen, z. B. mit Ihrer Organisation oder einem "
        "zweiten Vornamen."
    )


def display_name_taken(name: str, *, exclude_user_id: int | None = None) -> bool:
    """Whether another person's display name looks like `name` (core.text.name_key)."""
    key = display_name_key(clean_line(name))
    if key is None:
        return False
    others = User.objects.filter(display_name_key=key)
    if exclude_user_id is not None:
        others = others.exclude(pk=exclude_user_id)
    return others.exists()


def _save_display_name(user: User, fields: list[str]) -> None:
    """Save `fields` (display_name among them) or raise DisplayNameTaken on a race."""
    try:
        with transaction.atomic():
            user.save(update_fields=fields)
    except IntegrityError:
        if display_name_taken(user.display_name, exclude_user_id=user.pk):
            raise DisplayNameTaken() from None
        raise


class InvitationInvalid(ServiceError):
    """An invitation link that is tampered with (400), expired or already used (410)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason, status=400 if reason == "tampered" else 410)
        self.reason = reason  # "tampered", "expired", "used"; the page explains each


# --- Sign-up and e-mail verification ----------------------------------------


def signup_complete(
    *, user: User, display_name: str, language: str, invitation_token: str | None = None
) -> None:
    """Store the sign-up form's extra fields; remember a valid invitation for this address.

    The invitation only pre-approves admission when the sign-up address is the invited one:
    the link may have been forwarded, the mailbox is what the coordinator vouched for.
    """
    user.display_name = clean_line(display_name)
    user.language = language if language in Language.values else Language.DE
    _save_display_name(user, ["display_name", "language"])
    if not invitation_token:
        return
    try:
        invitation = invitation_from_token(invitation_token)
    except InvitationInvalid:
        return
    if invitation.email.lower() == user.email.lower():
        Invitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(accepted_by=user)


@transaction.atomic
def membership_on_email_verified(*, user: User, email: str) -> bool:
    """After an address is verified: admit the person if an invitation for it awaits them.

    Returns True when the person became a member.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.membership_status == MembershipStatus.MEMBER or user.email.lower() != email.lower():
        return False
    if user.membership_status == MembershipStatus.SUSPENDED:
        return False
    invitation = (
        Invitation.objects.select_for_update()
        .filter(
            accepted_by=user, accepted_at__isnull=True, revoked_at__isnull=True, email__iexact=email
        )
        .first()
    )
    if invitation is None:
        return False
    now = timezone.now()
    invitation.accepted_at = now
    invitation.save(update_fields=["accepted_at"])
    # The invitation is the admission: record it like a decided request, for the history.
    pending = AdmissionRequest.objects.filter(user=user, decision=AdmissionDecision.PENDING)
    if not pending.update(
        decision=AdmissionDecision.ADMITTED, decided_at=now, decided_by=invitation.invited_by
    ):
        AdmissionRequest.objects.create(
            user=user,
            reason=str(_("Eingeladen von der Koordination.")),
            decision=AdmissionDecision.ADMITTED,
            decided_at=now,
            decided_by=invitation.invited_by,
        )
    user.membership_status = MembershipStatus.MEMBER
    user.member_since = user.member_since or now
    user.save(update_fields=["membership_status", "member_since"])
    return True


# --- Admission ----------------------------------------------------------------


@transaction.atomic
def admission_request_create(
    *, user: User, organisation_text: str, reason: str
) -> AdmissionRequest:
    """A registered (or once declined) person asks to be admitted."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not can_request_admission(user):
        raise MembershipError(
            _("Eine Aufnahme kann nur beantragen, wer registriert und noch nicht Mitglied ist.")
        )
    if user.admission_requests.filter(decision=AdmissionDecision.PENDING).exists():
        raise MembershipError(_("Ihr Antrag liegt der Koordination bereits vor."))
    request = AdmissionRequest.objects.create(
        user=user, organisation_text=clean_line(organisation_text), reason=reason.strip()
    )
    user.membership_status = MembershipStatus.REQUESTED
    user.save(update_fields=["membership_status"])
    emit(EventKind.ADMISSION_REQUESTED, actor=user, target=request)
    return request


@transaction.atomic
def admission_decide(
    *, admission_request_id: int, coordinator: User, admit: bool, message: str = ""
) -> AdmissionRequest:
    """A coordinator admits or declines a pending request, with a message to the person."""
    request = (
        AdmissionRequest.objects.select_for_update()
        .select_related("user")
        .get(pk=admission_request_id)
    )
    if request.decision != AdmissionDecision.PENDING:
        raise MembershipError(_("Über diesen Antrag wurde bereits entschieden."))
    now = timezone.now()
    request.decision = AdmissionDecision.ADMITTED if admit else AdmissionDecision.DECLINED
    request.decided_at = now
    request.decided_by = coordinator
    request.decision_message = message.strip()
    request.save(update_fields=["decision", "decided_at", "decided_by", "decision_message"])
    user = User.objects.select_for_update().get(pk=request.user_id)
    if user.membership_status == MembershipStatus.REQUESTED:
        user.membership_status = MembershipStatus.MEMBER if admit else MembershipStatus.DECLINED
        if admit:
            user.member_since = user.member_since or now
        user.save(update_fields=["membership_status", "member_since"])
    emit(EventKind.ADMISSION_DECIDED, actor=coordinator, target=request)
    return request


# --- Members ------------------------------------------------------------------


def _other_person(*, user_id: int, by: User) -> User:
    if user_id == by.pk:
        raise MembershipError(_("Diese Änderung können Sie nicht an sich selbst vornehmen."))
    return User.objects.select_for_update().get(pk=user_id)


@transaction.atomic
def member_suspend(*, user_id: int, by: User, reason: str) -> User:
    """Suspend a member; the reason is shown to them and to the coordination."""
    reason = (reason or "").strip()
    if not reason:
        raise MembershipError(_("Bitte geben Sie einen Grund für die Sperre an."))
    user = _other_person(user_id=user_id, by=by)
    if user.membership_status != MembershipStatus.MEMBER:
        raise MembershipError(_("Nur Mitglieder können gesperrt werden."))
    user.membership_status = MembershipStatus.SUSPENDED
    user.suspended_at = timezone.now()
    user.suspension_reason = reason[:2000]
    user.save(update_fields=["membership_status", "suspended_at", "suspension_reason"])
    emit(EventKind.MEMBERSHIP_CHANGED, actor=by, extra={"user_id": user.pk, "suspended": True})
    return user


@transaction.atomic
def member_reinstate(*, user_id: int, by: User) -> User:
    user = _other_person(user_id=user_id, by=by)
    if user.membership_status != MembershipStatus.SUSPENDED:
        raise MembershipError(_("Nur gesperrte Personen können wieder aufgenommen werden."))
    user.membership_status = MembershipStatus.MEMBER
    user.suspended_at = None
    user.suspension_reason = ""
    user.save(update_fields=["membership_status", "suspended_at", "suspension_reason"])
    emit(EventKind.MEMBERSHIP_CHANGED, actor=by, extra={"user_id": user.pk, "suspended": False})
    return user


@transaction.atomic
def coordinator_role_set(*, user_id: int, by: User, value: bool) -> User:
    """Give or take the coordinator role. Only members can hold it; nobody demotes themselves
    (so the group cannot lose its last coordinator by a slip)."""
    user = _other_person(user_id=user_id, by=by)
    if value and user.membership_status != MembershipStatus.MEMBER:
        raise MembershipError(_("Nur Mitglieder können die Koordination übernehmen."))
    user.is_coordinator = value
    user.save(update_fields=["is_coordinator"])
    return user


# --- Organisations ----------------------------------------------------------------


def _unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:180] or "organisation"
    slug, n = base, 2
    others = Organisation.objects.exclude(pk=exclude_pk) if exclude_pk else Organisation.objects
    while others.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def organisation_create(*, name: str, kind: str, website: str = "") -> Organisation:
    name = clean_line(name)
    return Organisation.objects.create(
        name=name, slug=_unique_slug(name), kind=kind, website=website
    )


@transaction.atomic
def organisation_update(
    *, organisation_id: int, name: str, kind: str, website: str = ""
) -> Organisation:
    organisation = Organisation.objects.select_for_update().get(pk=organisation_id)
    organisation.name = clean_line(name)
    organisation.kind = kind
    organisation.website = website
    organisation.save(update_fields=["name", "kind", "website"])
    # Public pages list co-signing organisations by name: a renamed one must not linger
    # in cached copies.
    pagecache.invalidate_public_pages()
    return organisation


# --- Membership in organisations ---------------------------------------------------------

ACTIVE_MEMBERSHIP = (OrganisationMembershipStatus.REQUESTED, OrganisationMembershipStatus.CONFIRMED)
MS = OrganisationMembershipStatus


@transaction.atomic
def organisation_membership_request(
    *, user: User, organisation: Organisation
) -> OrganisationMembership:
    """The person says they belong to `organisation`: a request until someone confirms it.

    Asking again after a decline re-opens the request; an open or confirmed one stays as is.
    """
    membership = (
        OrganisationMembership.objects.select_for_update()
        .filter(user=user, organisation=organisation)
        .first()
    )
    if membership is None:
        return OrganisationMembership.objects.create(user=user, organisation=organisation)
    if membership.status == MS.DECLINED:
        membership.status = MS.REQUESTED
        membership.requested_at = timezone.now()
        membership.decided_at = membership.decided_by = None
        membership.save(update_fields=["status", "requested_at", "decided_at", "decided_by"])
    return membership


@transaction.atomic
def organisation_memberships_set(*, user: User, organisations: list[Organisation]) -> None:
    """The profile's ticks: request each newly ticked organisation; an unticked one is a
    withdrawn request or a departure. A decline stays on record (it is the decider's, not the
    person's to erase); co-signatures already given stay with the organisation."""
    wanted = {o.pk: o for o in organisations}
    current = set(
        OrganisationMembership.objects.filter(user=user, status__in=ACTIVE_MEMBERSHIP).values_list(
            "organisation_id", flat=True
        )
    )
    for pk, organisation in wanted.items():
        if pk not in current:
            organisation_membership_request(user=user, organisation=organisation)
    OrganisationMembership.objects.filter(
        user=user, status__in=ACTIVE_MEMBERSHIP, organisation_id__in=current - set(wanted)
    ).delete()
    forget_organisation_roles(user)


@transaction.atomic
def organisation_membership_decide(
    *, membership_id: int, by: User, confirm: bool
) -> OrganisationMembership:
    """A coordinator or the organisation's contact confirms or declines a membership.

    Declining a confirmed membership ends it (and with it the contact role): the person
    no longer speaks for the organisation. Contacts decide about ordinary members only;
    whether another contact still belongs is the coordination's decision.
    """
    membership = (
        OrganisationMembership.objects.select_for_update()
        .select_related("user", "organisation")
        .get(pk=membership_id)
    )
    forget_organisation_roles(by)
    if not can_decide_organisation_membership(by, membership.organisation_id):
        raise PermissionDenied
    if not is_coordinator(by) and (membership.user_id == by.pk or membership.is_contact):
        raise MembershipError(_("Darüber entscheidet die Koordination, nicht eine Ansprechperson."))
    target = MS.CONFIRMED if confirm else MS.DECLINED
    if membership.status == target:
        return membership  # a repeated click changes nothing
    membership.status = target
    membership.is_contact = membership.is_contact and confirm
    membership.decided_at = timezone.now()
    membership.decided_by = by
    membership.save(update_fields=["status", "is_contact", "decided_at", "decided_by"])
    return membership


@transaction.atomic
def organisation_contact_set(
    *, membership_id: int, by: User, value: bool
) -> OrganisationMembership:
    """The coordination names (or un-names) a confirmed member as the organisation's contact."""
    membership = OrganisationMembership.objects.select_for_update().get(pk=membership_id)
    if not can_set_organisation_contact(by):
        raise PermissionDenied
    if value and membership.status != MS.CONFIRMED:
        raise MembershipError(
            _("Ansprechperson kann nur sein, wessen Zugehörigkeit bestätigt ist.")
        )
    if membership.is_contact != value:
        membership.is_contact = value
        membership.save(update_fields=["is_contact"])
    return membership


# --- Invitations --------------------------------------------------------------------


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk, "e": invitation.email.lower()}, salt=INVITATION_SALT)


def invitation_url(invitation: Invitation) -> str:
    path = reverse("accounts:invitation_accept", args=[invitation_token(invitation)])
    return f"{settings.SITE_URL}{path}"


def invitation_from_token(token: str) -> Invitation:
    """The invitation a link stands for, or InvitationInvalid (tampered, expired, used)."""
    max_age = settings.RTM_INVITATION_MAX_AGE_DAYS * 24 * 3600
    try:
        payload = signing.loads(token, salt=INVITATION_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise InvitationInvalid("expired") from None
    except signing.BadSignature:
        raise InvitationInvalid("tampered") from None
    if not isinstance(payload, dict):
        raise InvitationInvalid("tampered")
    invitation = Invitation.objects.filter(pk=payload.get("i")).first()
    if invitation is None or invitation.email.lower() != payload.get("e"):
        raise InvitationInvalid("tampered")
    if invitation.accepted_at is not None:
        raise InvitationInvalid("used")
    if invitation.revoked_at is not None:
        raise InvitationInvalid("revoked")
    return invitation


@transaction.atomic
def invitation_create(*, email: str, invited_by: User, message: str = "") -> Invitation:
    """A coordinator invites someone by e-mail. The mail is an outbox row written in this
    transaction (notifications kind "member_invited"), delivered and retried like every
    mail: a mail server that is down delays it, it never fails the request."""
    email = email.strip().lower()
    if User.objects.members().filter(email__iexact=email).exists():
        raise MembershipError(_("Diese Person ist bereits Mitglied."))
    invitation = Invitation.objects.create(email=email, invited_by=invited_by, message=message)
    emit(EventKind.MEMBER_INVITED, actor=invited_by, target=invitation)
    return invitation


@transaction.atomic
def invitation_accept_signed_in(*, invitation: Invitation, user: User) -> bool:
    """An already signed-in person opens their invitation link: admit them if it is theirs."""
    if invitation.email.lower() != user.email.lower():
        return False
    if not EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists():
        return False
    Invitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(accepted_by=user)
    return membership_on_email_verified(user=user, email=user.email)


@transaction.atomic
def invitation_revoke(*, invitation_id: int, revoked_by: User) -> Invitation:
    """Take back an open invitation: its link stops working. Accepted ones stay as they are."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation_id)
    if invitation.accepted_at is not None:
        raise MembershipError(_("Diese Einladung wurde bereits angenommen."))
    if invitation.revoked_at is None:  # a repeated click changes nothing
        invitation.revoked_at = timezone.now()
        invitation.revoked_by = revoked_by
        invitation.save(update_fields=["revoked_at", "revoked_by"])
    return invitation


# --- Profile and language -------------------------------------------------------------


@transaction.atomic
def profile_update(
    *, user: User, display_name: str, language: str, organisations: list[Organisation]
) -> User:
    user.display_name = clean_line(display_name)
    user.language = language
    _save_display_name(user, ["display_name", "language"])
    organisation_memberships_set(user=user, organisations=organisations)
    return user


def user_language_set(*, user: User, language: str) -> None:
    if language in Language.values and user.language != language:
        User.objects.filter(pk=user.pk).update(language=language)
        user.language = language


# --- Account deletion ------------------------------------------------------------------


DELETION_REFUSED = _(
    "Das Konto kann gerade nicht gelöscht werden. Bitte wenden Sie sich an die Koordination."
)


@dataclass(frozen=True)
class DeletionResult:
    deleted: bool
    message: str = ""


def _session_ids_of(user_id: int) -> list[str]:
    """Sessions are opaque blobs; deleting an account is rare enough to decode them all."""
    keys = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        try:
            data: dict[str, Any] = session.get_decoded()
        except Exception:  # noqa: BLE001, S112 - a corrupt session is simply not theirs
            continue
        if str(data.get("_auth_user_id")) == str(user_id):
            keys.append(session.session_key)
    return keys


@transaction.atomic
def account_delete(*, user: User) -> DeletionResult:
    """Delete the person: their user row, e-mail addresses, sessions, invitations to them.

    What they wrote stays: other apps point at the user with on_delete=SET_NULL and show
    "ehemaliges Mitglied". A PROTECT elsewhere means that app keeps something it must not
    lose; we refuse rather than fail half-way.
    """
    user_id, email = user.pk, user.email
    session_keys = _session_ids_of(user_id) if "db" in settings.SESSION_ENGINE else []
    try:
        with transaction.atomic():
            Invitation.objects.filter(email__iexact=email).delete()
            EmailAddress.objects.filter(user_id=user_id).delete()
            User.objects.filter(pk=user_id).delete()
    except (ProtectedError, RestrictedError):
        return DeletionResult(
            deleted=False,
            message=str(DELETION_REFUSED),
        )
    Session.objects.filter(session_key__in=session_keys).delete()
    return DeletionResult(deleted=True)


# --- Installation -------------------------------------------------------------------


@transaction.atomic
def coordinator_create(
    *, email: str, display_name: str, password: str, admin: bool = False
) -> tuple[User, bool]:
    """A verified coordinator (manage.py createcoordinator); promotes an existing account."""
    email = email.strip().lower()
    user = User.objects.select_for_update().filter(email__iexact=email).first()
    created = user is None
    if user is None:
        user = User(email=email)
    user.display_name = clean_line(display_name)
    if display_name_taken(user.display_name, exclude_user_id=user.pk):
        raise DisplayNameTaken()
    user.set_password(password)
    user.membership_status = MembershipStatus.MEMBER
    user.member_since = user.member_since or timezone.now()
    user.is_coordinator = True
    user.is_active = True
    if admin:
        user.is_staff = user.is_superuser = True
    user.save()
    EmailAddress.objects.filter(user=user).exclude(email__iexact=email).update(primary=False)
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user, created
