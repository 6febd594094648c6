"""Demo co-signatures on the published demo statements (`manage.py seed_demo`).

Runs last in the seeding order, after the workflow has published some papers.
Idempotent: existing co-signatures are left alone. Demo members sign for the organisations
they are confirmed members of (accounts/demo.py); one organisation is added by the
coordinators "on request by e-mail".
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from accounts.models import Organisation, User
from accounts.permissions import is_confirmed_member_of
from public.models import CoSignature
from public.services import cosignature_add
from statements.models import Statement
from statements.states import State

# (organisation, e-mail of the member who signs; None: added by the coordinators)
SIGNERS = [
    ("Willkommensinitiative Grimma", "amira@example.org"),
    ("Netzwerk Asyl Borna e. V.", "jonas@example.org"),
    ("Ev.-Luth. Kirchgemeinde Markkleeberg", "lena@example.org"),
    ("Deutschkurs-Café Naunhof e. V.", None),
]
COORDINATOR = "koordination@example.org"


def seed(*, stdout: Any = None, papers: Collection[int] = ()) -> None:
    """Co-signatures on the published demo papers only (`papers`: seed_demo's ids)."""
    statements = list(
        Statement.objects.filter(state=State.PUBLISHED, pk__in=papers).order_by("published_at")
    )
    coordinator = User.objects.filter(email=COORDINATOR).first()
    organisations = {
        o.name: o for o in Organisation.objects.filter(name__in=[n for n, _ in SIGNERS])
    }
    people = {u.email: u for u in User.objects.filter(email__in=[e for _, e in SIGNERS if e])}
    created = 0
    for index, statement in enumerate(statements):
        # Not every paper gets every signer: the first all, later ones fewer.
        for name, email in SIGNERS[: max(1, len(SIGNERS) - index)]:
            organisation = organisations.get(name)
            actor = people.get(email) if email else coordinator
            if organisation is None or actor is None:
                continue
            if CoSignature.objects.filter(statement=statement, organisation=organisation).exists():
                continue
            if email and not is_confirmed_member_of(actor, organisation.pk):
                actor = coordinator
                if actor is None:
                    continue
            cosignature_add(statement=statement, organisation=organisation, actor=actor)
            created += 1
    if stdout is not None:
        stdout.write(f"public: {created} co-signatures on {len(statements)} published statements\n")
