"""Every transition page for every role in every state: a clear status, never a 500,
and GET never changes anything."""

from __future__ import annotations

import pytest
from django.urls import reverse

from statements.states import State
from tests.factories import make_statement
from workflow.models import AuditEntry
from workflow.spec import Transition

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "registered", "suspended", "member", "author", "coauthor", "coordinator")


@pytest.mark.parametrize("state", State.values)
def test_every_page_for_every_role(state, client_for, request, author, coauthor):
    statement = make_statement(author=author, coauthors=[coauthor], state=state)
    entries = AuditEntry.objects.count()
    for role in ROLES:
        user = None if role == "anonymous" else request.getfixturevalue(role)
        client = client_for(user)
        for name in Transition:
            url = reverse("workflow:transition", kwargs={"slug": statement.slug, "name": name})
            status = client.get(url).status_code
            assert status in (200, 302, 403, 404, 409), (role, state, name, status)
            if role == "anonymous":
                assert status == 302
            if status == 200:
                assert role in ("author", "coauthor", "coordinator"), (role, state, name)
    statement.refresh_from_db()
    assert statement.state == state
    assert AuditEntry.objects.count() == entries
