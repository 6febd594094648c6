"""The archive search reads the GIN index of migration maillist/0001 (PostgreSQL)."""

from __future__ import annotations

import pytest
from django.db import connection

from maillist.models import Post
from maillist.selectors import search

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_the_search_expression_is_the_indexed_one():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        sql, params = search(Post.objects.all(), "Förderung").query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "maillist_post_search_gin" in plan, plan
