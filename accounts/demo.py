"""Demo organisations and logins for `manage.py seed_demo` (idempotent).

Everything goes through the accounts services, in the order a real group goes: the
coordinator is set up like `manage.py createcoordinator`; the others sign up, ask to be
admitted and are admitted by the coordination (the guest's request stays open);
organisation memberships are asked for and confirmed; one invitation is open. Only the
sign-up itself (the user row and the confirmed address) is written as allauth writes it:
allauth owns that step. A person, organisation or invitation that exists is left alone.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress

from accounts.models import Invitation, Organisation, OrganisationKind, User
from accounts.services import (
    admission_decide,
    admission_request_create,
    coordinator_create,
    invitation_create,
    organisation_contact_set,
    organisation_create,
    organisation_membership_decide,
    organisation_membership_request,
    signup_complete,
)

PASSWORD = "rtm-demo-2026"  # noqa: S105 - the documented demo password

K = OrganisationKind
# (name, kind) - invented, but the kinds and places of the Leipzig district.
ORGANISATIONS = [
    ("Willkommensinitiative Grimma", K.INITIATIVE),
    ("Netzwerk Asyl Borna e. V.", K.VEREIN),
    ("Ev.-Luth. Kirchgemeinde Markkleeberg", K.KIRCHGEMEINDE),
    ("Migrationsberatung Wurzen gGmbH", K.TRAEGER),
    ("Wohlfahrtsverband Landkreis Leipzig", K.WOHLFAHRTSVERBAND),
    ("Interkultureller Garten Markranstädt", K.INITIATIVE),
    ("Deutschkurs-Café Naunhof e. V.", K.VEREIN),
    ("Kath. Pfarrei St. Marien Bad Lausick", K.KIRCHGEMEINDE),
    ("Jugendmigrationsdienst Geithain", K.TRAEGER),
    ("Privatpersonen im RTM", K.PRIVATPERSON),
]

COORDINATOR = ("koordination@example.org", "Katrin Koordination")
# email, display name, what they wrote in their admission request, admitted?
APPLICANTS = [
    (
        "amira@example.org",
        "Amira Haddad",
        "Willkommensinitiative Grimma",
        "Ich berate Geflüchtete in Grimma und möchte an Stellungnahmen mitschreiben.",
        True,
    ),
    (
        "jonas@example.org",
        "Jonas Keller",
        "Netzwerk Asyl Borna",
        "Wir begleiten Familien in der Unterkunft Borna.",
        True,
    ),
    (
        "lena@example.org",
        "Lena Schubert",
        "Kirchgemeinde Markkleeberg",
        "Unsere Gemeinde organisiert Sprachcafés.",
        True,
    ),
    (
        "gast@example.org",
        "Gerd Gast",
        "Nachbarschaftshilfe Naunhof",
        "Ich begleite Familien zu Behörden und möchte an Stellungnahmen mitarbeiten.",
        False,
    ),
]
PEOPLE = [COORDINATOR[0], *(a[0] for a in APPLICANTS)]

# email, organisation, confirmed by the coordination?, organisation contact?
# The confirmed ones are those the demo co-signs for (public/demo.py); the open requests
# fill the coordination's queue and the page of Amira, contact of her initiative.
MEMBERSHIPS = [
    ("koordination@example.org", "Wohlfahrtsverband Landkreis Leipzig", True, False),
    ("amira@example.org", "Willkommensinitiative Grimma", True, True),
    ("jonas@example.org", "Netzwerk Asyl Borna e. V.", True, False),
    ("lena@example.org", "Ev.-Luth. Kirchgemeinde Markkleeberg", True, False),
    ("lena@example.org", "Interkultureller Garten Markranstädt", False, False),
    ("jonas@example.org", "Willkommensinitiative Grimma", False, False),
]

INVITED = "eingeladen@example.org"


def seed(*, stdout: Any = None) -> None:
    orgs = {
        name: Organisation.objects.filter(name=name).first()
        or organisation_create(name=name, kind=kind)
        for name, kind in ORGANISATIONS
    }
    email, name = COORDINATOR
    coordinator = User.objects.filter(email=email).first()
    if coordinator is None:
        coordinator, _created = coordinator_create(
            email=email, display_name=name, password=PASSWORD
        )
    for email, name, organisation_text, reason, admitted in APPLICANTS:
        if User.objects.filter(email=email).exists():
            continue
        user = _sign_up(email, name)
        request = admission_request_create(
            user=user, organisation_text=organisation_text, reason=reason
        )
        if admitted:
            admission_decide(
                admission_request_id=request.pk,
                coordinator=coordinator,
                admit=True,
                message="Willkommen beim Runden Tisch!",
            )
    _seed_memberships(orgs, coordinator)
    # An open invitation, so the coordination page shows one (its mail goes out like any).
    if not Invitation.objects.filter(email=INVITED).exists():
        invitation_create(
            email=INVITED,
            invited_by=coordinator,
            message="Wir würden uns freuen, wenn Ihr Verein beim Runden Tisch mitarbeitet.",
        )
    if stdout is not None:
        stdout.write(f"accounts: {len(orgs)} organisations, {len(PEOPLE)} logins")


def _sign_up(email: str, name: str) -> User:
    """What allauth's sign-up and e-mail confirmation store, then our sign-up service."""
    user = User.objects.create_user(email=email, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    signup_complete(user=user, display_name=name, language="de")
    return user


def _seed_memberships(orgs: dict[str, Organisation], coordinator: User) -> None:
    """As the coordination would; a second run changes nothing (a request already
    confirmed stays confirmed, one left open stays open)."""
    people = {u.email: u for u in User.objects.filter(email__in=PEOPLE)}
    for email, organisation, confirmed, contact in MEMBERSHIPS:
        membership = organisation_membership_request(
            user=people[email], organisation=orgs[organisation]
        )
        if confirmed:
            organisation_membership_decide(
                membership_id=membership.pk, by=coordinator, confirm=True
            )
        if contact:
            organisation_contact_set(membership_id=membership.pk, by=coordinator, value=True)
