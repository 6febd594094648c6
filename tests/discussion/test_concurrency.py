"""Concurrent applies on PostgreSQL: the row locks keep the text whole."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from discussion import services
from discussion.models import Comment, SuggestionStatus
from statements import markdown
from statements.models import Revision
from tests.factories import UserFactory, make_statement
from tests.realservices import require_postgres

pytestmark = [pytest.mark.postgres]


def race(*calls):
    """Run the calls in threads released at the same moment; return results or exceptions."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = calls[i]()
        except Exception as exc:  # noqa: BLE001 - reported to the test
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_suggestions_for_the_same_paragraph_at_once():
    require_postgres()
    author = UserFactory(display_name="Anna Autorin")
    statement = make_statement(author=author, state="consultation")
    block = markdown.blocks(statement.current_revision.body)[1]
    a = services.comment_create(
        statement=statement, author=UserFactory(), body="", block_id=block.id, suggestion_text="A."
    )
    b = services.comment_create(
        statement=statement, author=UserFactory(), body="", block_id=block.id, suggestion_text="B."
    )
    results = race(
        lambda: services.suggestion_apply(comment=a, actor=author),
        lambda: services.suggestion_apply(comment=b, actor=author),
    )
    applied = [r for r in results if isinstance(r, Revision)]
    refused = [r for r in results if isinstance(r, services.SuggestionOutdated)]
    assert len(applied) == 1 and len(refused) == 1, results
    statement.refresh_from_db()
    assert statement.body in (
        "Erster Absatz.\n\nA.\n\nDritter Absatz.",
        "Erster Absatz.\n\nB.\n\nDritter Absatz.",
    )
    statuses = sorted(Comment.objects.values_list("suggestion_status", flat=True))
    assert statuses == [SuggestionStatus.APPLIED, SuggestionStatus.OPEN]


@pytest.mark.django_db(transaction=True)
def test_the_same_suggestion_applied_twice_at_once_makes_one_revision():
    require_postgres()
    author = UserFactory(display_name="Anna Autorin")
    statement = make_statement(author=author, state="consultation")
    block = markdown.blocks(statement.current_revision.body)[0]
    s = services.comment_create(
        statement=statement, author=UserFactory(), body="", block_id=block.id, suggestion_text="X."
    )
    results = race(
        lambda: services.suggestion_apply(comment=s, actor=author),
        lambda: services.suggestion_apply(comment=s, actor=author),
    )
    assert sum(isinstance(r, Revision) for r in results) == 1, results
    assert sum(isinstance(r, services.SuggestionNotOpen) for r in results) == 1, results
    assert Revision.objects.filter(statement=statement).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_suggestions_on_different_paragraphs_at_once_both_apply():
    """Issue 21: the second apply waited for the first's lock and then read the revision
    as it was before (joined to the locked row), so it said "Der Absatz wurde geändert"
    though its paragraph had not. Locking the row alone and reading the revision after
    the lock, both land, each in its paragraph, in every round."""
    require_postgres()
    author = UserFactory(display_name="Anna Autorin")
    for round_ in range(4):
        statement = make_statement(author=author, state="consultation", title=f"Runde {round_}")
        first, _second, third = markdown.blocks(statement.current_revision.body)
        a = services.comment_create(
            statement=statement,
            author=UserFactory(),
            body="",
            block_id=first.id,
            suggestion_text="Neuer erster Absatz.",
        )
        b = services.comment_create(
            statement=statement,
            author=UserFactory(),
            body="",
            block_id=third.id,
            suggestion_text="Neuer dritter Absatz.",
        )
        results = race(
            lambda a=a: services.suggestion_apply(comment=a, actor=author),
            lambda b=b: services.suggestion_apply(comment=b, actor=author),
        )
        assert all(isinstance(r, Revision) for r in results), results
        statement.refresh_from_db()
        assert statement.body == (
            "Neuer erster Absatz.\n\nZweiter Absatz mit *Betonung*.\n\nNeuer dritter Absatz."
        )
