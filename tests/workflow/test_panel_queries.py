"""The workflow panel's queries do not grow with the length of the audit trail."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from statements.models import Statement
from tests.factories import make_statement
from workflow.panels import panel_context
from workflow.services import statement_transition

pytestmark = pytest.mark.django_db


def panel_queries(statement_id: int, user) -> int:
    request = RequestFactory().get("/")
    request.user = user
    statement = Statement.objects.get(pk=statement_id)
    with CaptureQueriesContext(connection) as queries:
        context = panel_context(request, statement)
    assert context["workflow_panel"] is not None
    return len(queries)


def test_panel_queries_constant(author, coordinator, django_assert_num_queries):
    statement = make_statement(author=author, state="consultation")
    short = panel_queries(statement.pk, author)
    for _round in range(3):
        statement_transition(
            statement_id=statement.pk, name="back_to_draft", actor=author, note="x"
        )
        statement_transition(statement_id=statement.pk, name="submit", actor=author)
    assert panel_queries(statement.pk, author) == short
    # 1: author ids (shared, cached on the statement), 2: the audit trail with actors.
    request = RequestFactory().get("/")
    request.user = author
    fresh = Statement.objects.get(pk=statement.pk)
    with django_assert_num_queries(2):
        panel_context(request, fresh)
