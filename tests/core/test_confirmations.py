"""Safe one-click actions (issue 16, item 8): giving the coordinator role, restoring an old
revision and co-signing publicly ask first, on a page that works without JavaScript."""

from __future__ import annotations

import pytest
from django.test import Client

from public.models import CoSignature
from statements.models import Statement
from statements.services import TextFields, revision_save
from tests.factories import (
    OrganisationFactory,
    UserFactory,
    confirm_membership,
    make_statement,
)

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _confirm(client, response):
    """Submit the confirmation page's form as a browser would."""
    import re

    page = response.content.decode()
    page = page[page.index("<main") :]  # the header has forms of its own
    action = re.search(r'<form method="post" action="([^"]+)"', page).group(1)
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
    fields.pop("csrfmiddlewaretoken", None)
    return client.post(action, {**fields, "confirmed": "1"})


def test_giving_the_coordinator_role_asks_first(coordinator):
    person = UserFactory(display_name="Karl Kandidat")
    client = client_for(coordinator)
    url = f"/coordination/members/{person.pk}/"
    asked = client.post(url, {"action": "make_coordinator"})
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "Koordinationsrechte vergeben?" in page and "Karl Kandidat" in page
    person.refresh_from_db()
    assert not person.is_coordinator
    assert _confirm(client, asked).status_code == 302
    person.refresh_from_db()
    assert person.is_coordinator
    # Taking the role away needs no second step.
    client.post(url, {"action": "remove_coordinator"})
    person.refresh_from_db()
    assert not person.is_coordinator


def test_restoring_an_old_revision_asks_first(author):
    paper = make_statement(author=author, body="Alt.")
    revision_save(
        statement_id=paper.pk,
        author=author,
        text=TextFields(paper.title, paper.occasion, paper.summary, "Neu."),
        message="",
        base_revision_id=paper.current_revision_id,
    )
    paper.refresh_from_db()
    client = client_for(author)
    url = f"/statements/{paper.slug}/revisions/1/restore/"
    asked = client.post(url, {"base_revision": paper.current_revision_id})
    assert asked.status_code == 200 and "Fassung 1 wiederherstellen?" in asked.content.decode()
    assert Statement.objects.get(pk=paper.pk).body == "Neu."
    assert _confirm(client, asked).status_code == 302
    assert Statement.objects.get(pk=paper.pk).body == "Alt."


def test_cosigning_publicly_asks_first_revoking_does_not(author):
    signer = UserFactory()
    organisation = OrganisationFactory(name="Interkultureller Garten")
    confirm_membership(signer, organisation)
    paper = make_statement(author=author, state="published", title="Öffentlich")
    client = client_for(signer)
    url = f"/statements/{paper.slug}/cosign/"
    asked = client.post(url, {"organisation": organisation.pk, "action": "sign"})
    page = asked.content.decode()
    assert asked.status_code == 200 and "Öffentlich mitzeichnen?" in page
    assert "Interkultureller Garten erscheint dann öffentlich" in page
    assert not CoSignature.objects.exists()
    assert _confirm(client, asked).status_code == 302
    assert CoSignature.objects.filter(organisation=organisation).exists()
    client.post(url, {"organisation": organisation.pk, "action": "revoke"})
    assert not CoSignature.objects.filter(statement=paper).exists()
