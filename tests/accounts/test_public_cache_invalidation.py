"""A renamed organisation shows its new name on the public pages at once."""

from __future__ import annotations

from django.test import Client

from public.services import cosignature_add
from tests.factories import OrganisationFactory, UserFactory, confirm_membership, make_statement
from tests.public.conftest import publish


def _cosigned_page(coordinator):
    statement = publish(make_statement(state="draft"), coordinator=coordinator)
    organisation = OrganisationFactory(name="Netzwerk Alt e. V.", kind="verein")
    signer = UserFactory()
    confirm_membership(signer, organisation)
    cosignature_add(statement=statement, organisation=organisation, actor=signer)
    url = f"/statements/{statement.slug}/"
    assert "Netzwerk Alt e. V." in Client().get(url).content.decode()  # now cached
    return url, organisation


def test_renaming_an_organisation_refreshes_cached_public_pages(client_for, coordinator):
    url, organisation = _cosigned_page(coordinator)
    response = client_for(coordinator).post(
        f"/coordination/organisations/{organisation.pk}/edit/",
        {"name": "Netzwerk Neu e. V.", "kind": "verein", "website": ""},
    )
    assert response.status_code == 302
    page = Client().get(url).content.decode()
    assert "Netzwerk Neu e. V." in page
    assert "Netzwerk Alt e. V." not in page


def test_renaming_an_organisation_in_the_admin_refreshes_cached_public_pages(
    client_for, coordinator
):
    url, organisation = _cosigned_page(coordinator)
    staff = UserFactory(is_staff=True, is_superuser=True)
    response = client_for(staff).post(
        f"/admin/accounts/organisation/{organisation.pk}/change/",
        {"name": "Netzwerk Neu e. V.", "slug": organisation.slug, "kind": "verein", "website": ""},
    )
    assert response.status_code == 302
    assert "Netzwerk Neu e. V." in Client().get(url).content.decode()
