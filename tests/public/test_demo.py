"""public.demo.seed: co-signatures on published demo papers, idempotent."""

from __future__ import annotations

import io

from django.test import Client

from public.demo import seed
from public.models import CoSignature
from tests.factories import make_statement


def test_demo_cosignatures_are_idempotent(db):
    from accounts.demo import seed as seed_accounts

    seed_accounts(stdout=io.StringIO())
    first = make_statement(state="published", title="Erste Position")
    second = make_statement(state="published", title="Zweite Position")
    internal = make_statement(state="consultation", title="Noch intern")
    papers = {first.pk, second.pk, internal.pk}  # seed_demo passes the demo's own papers
    out = io.StringIO()
    seed(stdout=out, papers=papers)
    count = CoSignature.objects.count()
    assert count >= 4
    assert "co-signatures" in out.getvalue()
    seed(stdout=io.StringIO(), papers=papers)
    assert CoSignature.objects.count() == count
    assert not CoSignature.objects.filter(statement__state="consultation").exists()
    page = Client().get(f"/statements/{first.slug}/").content.decode()
    assert "Willkommensinitiative Grimma" in page
    assert "Amira" not in page


def test_demo_members_sign_for_confirmed_memberships_only(db):
    """Each demo co-signature by a member rests on a confirmed membership; open requests
    (for the coordination's queue) never turn into signatures."""
    from accounts.demo import seed as seed_accounts
    from accounts.permissions import is_confirmed_member_of

    seed_accounts(stdout=io.StringIO())
    paper = make_statement(state="published", title="Erste Position")
    seed(stdout=io.StringIO(), papers={paper.pk})
    signed = list(CoSignature.objects.exclude(signed_by=None).select_related("signed_by"))
    assert {c.signed_by.email for c in signed} == {
        "amira@example.org",
        "jonas@example.org",
        "lena@example.org",
    }
    assert all(is_confirmed_member_of(c.signed_by, c.organisation_id) for c in signed)
    assert not CoSignature.objects.filter(
        organisation__name="Interkultureller Garten Markranstädt"
    ).exists()
    from accounts.models import OrganisationMembership

    assert OrganisationMembership.objects.filter(status="requested").count() == 2
    assert OrganisationMembership.objects.get(is_contact=True).user.email == "amira@example.org"
