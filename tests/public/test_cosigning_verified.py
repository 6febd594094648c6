"""Only a verified member of an organisation speaks for it (issue 13, item 3).

The attack: any member ticked any organisation in their profile and then co-signed, or
revoked a co-signature, in its name. Now the tick is a request; only a membership
confirmed by the coordination or the organisation's contact lets a person sign, and
every co-signature and revocation is in the paper's audit trail.
"""

from __future__ import annotations

import pytest

from accounts.services import organisation_membership_decide
from public.models import CoSignature
from public.services import CosignNotAllowed, cosignature_add
from tests.factories import OrganisationFactory, UserFactory, confirm_membership
from workflow.models import AuditEntry

pytestmark = pytest.mark.django_db


def cosign(client, statement, organisation, action="sign"):
    return client.post(
        f"/statements/{statement.slug}/cosign/",
        {"organisation": organisation.pk, "action": action, "confirmed": "1"},
    )


def tick_in_profile(client, user, organisation):
    """What the attacker does: tick the organisation on their own profile page."""
    response = client.post(
        "/profile/",
        {"display_name": user.display_name, "language": "de", "organisations": [organisation.pk]},
    )
    assert response.status_code == 302
    return response


def cosign_audit(statement):
    return list(
        AuditEntry.objects.filter(
            statement=statement, transition__in=["cosign", "cosign_revoke"]
        ).values_list("transition", "actor__display_name", "note")
    )


@pytest.fixture
def foreign_org(db):
    return OrganisationFactory(name="Caritas Landkreis Leipzig")


def test_ticking_a_foreign_organisation_does_not_let_a_member_cosign(
    published, member, foreign_org, client_for
):
    client = client_for(member)
    tick_in_profile(client, member, foreign_org)
    # The panel does not offer it…
    page = client.get(f"/statements/{published.slug}/").content.decode()
    assert "Im Namen von Caritas Landkreis Leipzig mitzeichnen" not in page
    # …and a hand-made POST in its name is refused.
    assert cosign(client, published, foreign_org).status_code == 403
    assert not CoSignature.objects.exists()
    assert cosign_audit(published) == []
    with pytest.raises(CosignNotAllowed):
        cosignature_add(statement=published, organisation=foreign_org, actor=member)


def test_ticking_a_foreign_organisation_does_not_let_a_member_revoke_its_signature(
    published, member, foreign_org, client_for
):
    real = UserFactory(display_name="Rosa Richtig")
    confirm_membership(real, foreign_org)
    cosignature_add(statement=published, organisation=foreign_org, actor=real)
    client = client_for(member)
    tick_in_profile(client, member, foreign_org)
    assert cosign(client, published, foreign_org, "revoke").status_code == 403
    assert CoSignature.objects.filter(organisation=foreign_org).exists()
    assert cosign_audit(published) == [("cosign", "Rosa Richtig", foreign_org.name)]


def test_confirmed_member_signs_and_revokes_and_both_are_audited(
    published, member, foreign_org, client_for
):
    client = client_for(member)
    tick_in_profile(client, member, foreign_org)
    membership = member.organisation_memberships.get()
    coordinator = UserFactory(display_name="Konrad Koordinator", is_coordinator=True)
    organisation_membership_decide(membership_id=membership.pk, by=coordinator, confirm=True)

    page = client.get(f"/statements/{published.slug}/").content.decode()
    assert "Im Namen von Caritas Landkreis Leipzig mitzeichnen" in page
    assert cosign(client, published, foreign_org).status_code == 302
    assert cosign(client, published, foreign_org).status_code == 302  # twice = once
    assert CoSignature.objects.get().signed_by == member
    assert cosign(client, published, foreign_org, "revoke").status_code == 302
    assert not CoSignature.objects.exists()
    assert cosign_audit(published) == [
        ("cosign", member.display_name, foreign_org.name),
        ("cosign_revoke", member.display_name, foreign_org.name),
    ]
    # The paper's timeline shows both, with who did it.
    page = client.get(f"/statements/{published.slug}/").content.decode()
    assert "Mitzeichnung eingetragen" in page and "Mitzeichnung zurückgezogen" in page


def test_another_confirmed_member_of_the_organisation_may_revoke(published, org_member, client_for):
    organisation = org_member.organisation_memberships.get().organisation
    colleague = UserFactory(display_name="Kolja Kollege")
    confirm_membership(colleague, organisation)
    cosignature_add(statement=published, organisation=organisation, actor=org_member)
    assert cosign(client_for(colleague), published, organisation, "revoke").status_code == 302
    assert not CoSignature.objects.exists()
    assert cosign_audit(published)[-1] == ("cosign_revoke", "Kolja Kollege", organisation.name)


def test_coordinator_may_revoke_any_signature_and_it_is_audited(
    published, org_member, coordinator, client_for
):
    organisation = org_member.organisation_memberships.get().organisation
    cosignature_add(statement=published, organisation=organisation, actor=org_member)
    assert cosign(client_for(coordinator), published, organisation, "revoke").status_code == 302
    assert not CoSignature.objects.exists()
    assert cosign_audit(published) == [
        ("cosign", org_member.display_name, organisation.name),
        ("cosign_revoke", coordinator.display_name, organisation.name),
    ]


def test_a_declined_or_ended_membership_loses_the_right_to_sign(
    published, org_member, coordinator, client_for
):
    membership = org_member.organisation_memberships.get()
    organisation_membership_decide(membership_id=membership.pk, by=coordinator, confirm=False)
    client = client_for(org_member)
    assert cosign(client, published, membership.organisation).status_code == 403
    assert cosign(client, published, membership.organisation, "revoke").status_code == 403
    assert not CoSignature.objects.exists()


def test_suspended_member_with_a_confirmed_membership_cannot_sign(
    published, org_member, coordinator
):
    from accounts.services import member_suspend

    member_suspend(user_id=org_member.pk, by=coordinator, reason="Test")
    org_member.refresh_from_db()
    organisation = org_member.organisation_memberships.get().organisation
    with pytest.raises(CosignNotAllowed):
        cosignature_add(statement=published, organisation=organisation, actor=org_member)
