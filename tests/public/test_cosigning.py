"""Co-signing: who may sign for which organisation, in which state, by which method."""

from __future__ import annotations

import pytest

from public.models import CoSignature
from public.services import CosignNotAllowed, cosignature_add, cosignature_revoke
from tests.factories import (
    OrganisationFactory,
    UserFactory,
    confirm_membership,
    confirmed_organisation,
    make_statement,
)
from tests.public.conftest import walk


def post(client, statement, organisation, action="sign"):
    return client.post(
        f"/statements/{statement.slug}/cosign/",
        # confirmed: the second step of signing (core.confirm); revoking needs none.
        {"organisation": organisation.pk, "action": action, "confirmed": "1"},
    )


def test_member_signs_for_own_organisation_and_revokes(published, org_member, client_for):
    organisation = confirmed_organisation(org_member)
    client = client_for(org_member)
    response = post(client, published, organisation)
    assert response.status_code == 302
    cosignature = CoSignature.objects.get(statement=published)
    assert cosignature.organisation == organisation
    assert cosignature.signed_by == org_member and cosignature.added_by == org_member
    # Twice is the same as once.
    assert post(client, published, organisation).status_code == 302
    assert CoSignature.objects.filter(statement=published).count() == 1
    assert post(client, published, organisation, "revoke").status_code == 302
    assert not CoSignature.objects.exists()


def test_member_cannot_sign_for_someone_elses_organisation(published, org_member, client_for):
    stranger_org = OrganisationFactory(name="Fremder Verein")
    assert post(client_for(org_member), published, stranger_org).status_code == 403
    assert not CoSignature.objects.exists()


def test_coordinator_adds_any_organisation_that_asked_by_mail(published, coordinator, client_for):
    organisation = OrganisationFactory(name="Kirchgemeinde per E-Mail")
    client = client_for(coordinator)
    assert post(client, published, organisation).status_code == 302
    cosignature = CoSignature.objects.get()
    assert cosignature.signed_by is None and cosignature.added_by == coordinator
    page = client.get(f"/statements/{published.slug}/").content.decode()
    assert "von der Koordination eingetragen" in page
    assert post(client, published, organisation, "revoke").status_code == 302
    assert not CoSignature.objects.exists()


@pytest.mark.parametrize("state", ["draft", "consultation", "accepted", "retracted"])
def test_only_published_statements_can_be_cosigned(state, org_member, client_for, coordinator):
    statement = make_statement(state=state)
    organisation = confirmed_organisation(org_member)
    status = post(client_for(org_member), statement, organisation).status_code
    # Members may not even see drafts (404); elsewhere the state refuses (409).
    assert status in (404, 409)
    with pytest.raises(CosignNotAllowed):
        cosignature_add(statement=statement, organisation=organisation, actor=coordinator)
    assert not CoSignature.objects.exists()


def test_retraction_freezes_the_cosigners(published, org_member, coordinator, client_for):
    organisation = confirmed_organisation(org_member)
    cosignature_add(statement=published, organisation=organisation, actor=org_member)
    walk(published, ["retract"], coordinator=coordinator)
    assert post(client_for(org_member), published, organisation, "revoke").status_code == 409
    with pytest.raises(CosignNotAllowed):
        cosignature_revoke(statement=published, organisation=organisation, actor=coordinator)
    assert CoSignature.objects.count() == 1


@pytest.mark.parametrize("who", ["anonymous", "registered", "suspended"])
def test_non_members_cannot_cosign(who, published, request, client_for):
    user = None if who == "anonymous" else request.getfixturevalue(who)
    organisation = OrganisationFactory()
    if user is not None:
        confirm_membership(user, organisation)
    response = post(client_for(user), published, organisation)
    assert response.status_code in (302, 403)
    if who == "anonymous":
        assert "/accounts/login/" in response["Location"]
    assert not CoSignature.objects.exists()


def test_get_does_not_cosign(published, org_member, client_for):
    response = client_for(org_member).get(f"/statements/{published.slug}/cosign/")
    assert response.status_code == 405


def test_bad_input_is_400_or_404(published, org_member, client_for):
    client = client_for(org_member)
    url = f"/statements/{published.slug}/cosign/"
    assert client.post(url, {"organisation": "x", "action": "sign"}).status_code == 400
    assert client.post(url, {"organisation": 999999, "action": "sign"}).status_code == 404
    organisation = confirmed_organisation(org_member)
    assert client.post(url, {"organisation": organisation.pk, "action": "?"}).status_code == 400


def test_public_page_lists_organisations_alphabetically_without_people(published, coordinator):
    from django.test import Client

    for name in ("Zukunft e. V.", "Arbeitskreis Asyl", "Mittendrin"):
        signer = UserFactory(display_name=f"Person von {name}")
        organisation = OrganisationFactory(name=name)
        confirm_membership(signer, organisation)
        cosignature_add(statement=published, organisation=organisation, actor=signer)
    page = Client().get(f"/statements/{published.slug}/").content.decode()
    positions = [page.index(n) for n in ("Arbeitskreis Asyl", "Mittendrin", "Zukunft e. V.")]
    assert positions == sorted(positions)
    assert "Person von" not in page


def test_panel_offers_own_organisations_and_coordinator_list(
    published, org_member, coordinator, client_for
):
    page = client_for(org_member).get(f"/statements/{published.slug}/").content.decode()
    assert "Im Namen von Netzwerk Asyl Borna e. V. mitzeichnen" in page
    OrganisationFactory(name="Noch nicht dabei")
    page = client_for(coordinator).get(f"/statements/{published.slug}/").content.decode()
    assert "Noch nicht dabei" in page
    assert 'id="cosign-add-organisation"' in page


def test_deleting_the_signer_keeps_the_organisation(published, org_member):
    organisation = confirmed_organisation(org_member)
    cosignature_add(statement=published, organisation=organisation, actor=org_member)
    org_member.delete()
    cosignature = CoSignature.objects.get()
    assert cosignature.signed_by is None and cosignature.organisation == organisation


def test_personal_export_lists_own_cosignatures(published, org_member, coordinator):
    from public.export import user_data

    organisation = confirmed_organisation(org_member)
    cosignature_add(statement=published, organisation=organisation, actor=org_member)
    rows = user_data(org_member)["cosignatures"]
    assert rows == [
        {
            "statement": published.title,
            "statement_slug": published.slug,
            "organisation": organisation.name,
            "signed_by_me": True,
            "entered_by_me": True,
            "created_at": rows[0]["created_at"],
        }
    ]
    assert user_data(coordinator) == {"cosignatures": []}
    import json

    json.dumps(user_data(org_member))
