"""After a retraction the co-signers stay listed, and nobody is offered to change them.

test_cosigning.py shows that a retracted paper refuses every change (409). The members'
page must not offer them either: a mutation run (docs/mutation.md) showed the
coordination's "remove" buttons could come back on a retracted paper unnoticed.
"""

from __future__ import annotations

import pytest

from public.services import cosignature_add
from tests.factories import OrganisationFactory, confirmed_organisation
from tests.public.conftest import walk

pytestmark = pytest.mark.django_db

CHANGES = ('value="revoke"', 'value="sign"', 'id="cosign-add-organisation"')


def page(client, statement) -> str:
    return client.get(statement.get_absolute_url()).content.decode()


def test_published_page_offers_the_changes(published, org_member, coordinator, client_for):
    organisation = confirmed_organisation(org_member)
    cosignature_add(statement=published, organisation=organisation, actor=org_member)
    OrganisationFactory(name="Noch nicht dabei")
    assert 'value="revoke"' in page(client_for(org_member), published)
    coordination = page(client_for(coordinator), published)
    assert f"Mitzeichnung von {organisation.name} entfernen" in coordination
    assert 'id="cosign-add-organisation"' in coordination


def test_retracted_page_lists_cosigners_but_offers_no_change(
    published, org_member, coordinator, client_for
):
    organisation = confirmed_organisation(org_member)
    cosignature_add(statement=published, organisation=organisation, actor=org_member)
    OrganisationFactory(name="Noch nicht dabei")
    walk(published, ["retract"], coordinator=coordinator)
    for person in (org_member, coordinator):
        text = page(client_for(person), published)
        assert organisation.name in text
        assert "die Mitzeichnungen sind abgeschlossen" in text
        assert not [change for change in CHANGES if change in text], person
