"""Demo organisations and logins for `manage.py seed_demo` (idempotent)."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import (
    AdmissionDecision,
    AdmissionRequest,
    Invitation,
    MembershipStatus,
    Organisation,
    OrganisationKind,
    User,
)
from accounts.services import (
    organisation_contact_set,
    organisation_membership_decide,
    organisation_membership_request,
)

PASSWORD = "rtm-demo-2026"  # noqa: S105 - the documented demo password

K = OrganisationKind
# (name, slug, kind, website) - invented, but the kinds and places of the Leipzig district.
ORGANISATIONS = [
    ("Willkommensinitiative Grimma", "willkommensinitiative-grimma", K.INITIATIVE, ""),
    ("Netzwerk Asyl Borna e. V.", "netzwerk-asyl-borna", K.VEREIN, ""),
    ("Ev.-Luth. Kirchgemeinde Markkleeberg", "kirchgemeinde-markkleeberg", K.KIRCHGEMEINDE, ""),
    ("Migrationsberatung Wurzen gGmbH", "migrationsberatung-wurzen", K.TRAEGER, ""),
    ("Wohlfahrtsverband Landkreis Leipzig", "wohlfahrtsverband-lkl", K.WOHLFAHRTSVERBAND, ""),
    ("Interkultureller Garten Markranstädt", "garten-markranstaedt", K.INITIATIVE, ""),
    ("Deutschkurs-Café Naunhof e. V.", "deutschkurs-cafe-naunhof", K.VEREIN, ""),
    ("Kath. Pfarrei St. Marien Bad Lausick", "pfarrei-bad-lausick", K.KIRCHGEMEINDE, ""),
    ("Jugendmigrationsdienst Geithain", "jmd-geithain", K.TRAEGER, ""),
    ("Privatpersonen im RTM", "privatpersonen", K.PRIVATPERSON, ""),
]

# email, display name, status, coordinator
PEOPLE = [
    ("koordination@example.org", "Katrin Koordination", MembershipStatus.MEMBER, True),
    ("amira@example.org", "Amira Haddad", MembershipStatus.MEMBER, False),
    ("jonas@example.org", "Jonas Keller", MembershipStatus.MEMBER, False),
    ("lena@example.org", "Lena Schubert", MembershipStatus.MEMBER, False),
    ("gast@example.org", "Gerd Gast", MembershipStatus.REQUESTED, False),
]
COORDINATOR = "koordination@example.org"

# email, organisation slug, confirmed by the coordination?, organisation contact?
# The confirmed ones are those the demo co-signs for (public/demo.py); the open requests
# fill the coordination's queue and the page of Amira, contact of her initiative.
MEMBERSHIPS = [
    ("koordination@example.org", "wohlfahrtsverband-lkl", True, False),
    ("amira@example.org", "willkommensinitiative-grimma", True, True),
    ("jonas@example.org", "netzwerk-asyl-borna", True, False),
    ("lena@example.org", "kirchgemeinde-markkleeberg", True, False),
    ("lena@example.org", "garten-markranstaedt", False, False),
    ("jonas@example.org", "willkommensinitiative-grimma", False, False),
]


def seed(*, stdout: Any = None) -> None:
    orgs = {}
    for name, slug, kind, website in ORGANISATIONS:
        orgs[slug], _ = Organisation.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": kind, "website": website}
        )
    for email, name, status, coordinator in PEOPLE:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email,
                password=PASSWORD,
                display_name=name,
                membership_status=status,
                is_coordinator=coordinator,
                member_since=timezone.now() if status == MembershipStatus.MEMBER else None,
            )
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if status == MembershipStatus.REQUESTED and not user.admission_requests.exists():
            AdmissionRequest.objects.create(
                user=user,
                organisation_text="Nachbarschaftshilfe Naunhof",
                reason=(
                    "Ich begleite Familien zu Behörden und möchte an Stellungnahmen mitarbeiten."
                ),
                decision=AdmissionDecision.PENDING,
            )
    _seed_memberships(orgs)
    # An open invitation, so the coordination page shows one (no mail is sent for it).
    Invitation.objects.get_or_create(
        email="eingeladen@example.org",
        defaults={
            "invited_by": User.objects.filter(email="koordination@example.org").first(),
            "message": "Wir würden uns freuen, wenn Ihr Verein beim Runden Tisch mitarbeitet.",
        },
    )
    if stdout is not None:
        stdout.write(f"accounts: {len(orgs)} organisations, {len(PEOPLE)} logins")


def _seed_memberships(orgs: dict[str, Organisation]) -> None:
    """Through the services, as the coordination would; a second run changes nothing
    (a request already confirmed stays confirmed, one left open stays open)."""
    people = {u.email: u for u in User.objects.filter(email__in=[p[0] for p in PEOPLE])}
    coordinator = people[COORDINATOR]
    for email, slug, confirmed, contact in MEMBERSHIPS:
        membership = organisation_membership_request(user=people[email], organisation=orgs[slug])
        if confirmed:
            organisation_membership_decide(
                membership_id=membership.pk, by=coordinator, confirm=True
            )
        if contact:
            organisation_contact_set(membership_id=membership.pk, by=coordinator, value=True)
