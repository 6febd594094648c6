"""No lost edits under real concurrency (PostgreSQL, real threads, one connection each)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client

from statements.models import Revision, Statement
from statements.services import EditConflict, TextFields, revision_save
from tests.factories import UserFactory, make_statement
from tests.realservices import require_postgres

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _run_at_once(jobs: list[Callable[[], object]]) -> list[object]:
    """Start every job in its own thread, release them together, collect results."""
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def runner(i: int, job: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = job()
        except Exception as exc:  # noqa: BLE001 - the result under test
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return results


def test_twenty_saves_from_one_base_exactly_one_wins():
    require_postgres()
    authors = [UserFactory(display_name=f"Autorin {i}") for i in range(20)]
    statement = make_statement(author=authors[0], coauthors=authors[1:])
    base = statement.current_revision_id
    texts = [
        TextFields(
            title=statement.title,
            occasion=statement.occasion,
            summary=statement.summary,
            body=f"Fassung von Autorin {i}: eigener Absatz {i}.",
        )
        for i in range(20)
    ]

    def save(i: int) -> Callable[[], object]:
        return lambda: revision_save(
            statement_id=statement.pk,
            author=authors[i],
            text=texts[i],
            message=f"Änderung {i}",
            base_revision_id=base,
        )

    results = _run_at_once([save(i) for i in range(20)])

    winners = [(i, r) for i, r in enumerate(results) if isinstance(r, Revision)]
    conflicts = [(i, r) for i, r in enumerate(results) if isinstance(r, EditConflict)]
    assert len(winners) == 1, results
    assert len(conflicts) == 19, results
    winner_index, winner = winners[0]
    # Every loser was told about the winning revision, so it can show both texts.
    assert {c.current.pk for _i, c in conflicts} == {winner.pk}
    # Nothing overwritten, nothing lost: the original and the winner, in order.
    revisions = list(Revision.objects.filter(statement=statement).order_by("number"))
    assert [r.number for r in revisions] == [1, 2]
    assert (
        revisions[0].body == "Erster Absatz.\n\nZweiter Absatz mit *Betonung*.\n\nDritter Absatz."
    )
    assert revisions[1].body == texts[winner_index].body
    assert revisions[1].based_on_id == base
    statement = Statement.objects.get(pk=statement.pk)
    assert statement.current_revision_id == winner.pk
    assert statement.body == texts[winner_index].body


def test_concurrent_editor_posts_one_saves_the_others_get_409_with_their_text(edit_data):
    require_postgres()
    authors = [UserFactory(display_name=f"Autor {i}") for i in range(5)]
    statement = make_statement(author=authors[0], coauthors=authors[1:])
    clients = []
    for user in authors:
        client = Client()
        client.force_login(user)
        clients.append(client)
    url = f"/statements/{statement.slug}/edit/"
    bodies = [f"Vorschlag {i}: Wir fordern Sprachkurse ab dem ersten Tag ({i})." for i in range(5)]
    data = [edit_data(statement, body=body, message=f"Nr {i}") for i, body in enumerate(bodies)]

    results = _run_at_once(
        [lambda c=c, d=d: c.post(url, d) for c, d in zip(clients, data, strict=True)]
    )

    statuses = sorted(r.status_code for r in results)
    assert statuses == [302, 409, 409, 409, 409], statuses
    saved = Statement.objects.get(pk=statement.pk).body
    for body, response in zip(bodies, results, strict=True):
        if response.status_code == 302:
            assert saved == body
        else:
            page = response.content.decode()
            assert body in page  # the user's text comes back in the merge form
            assert "Bearbeitungskonflikt" in page
    assert Revision.objects.filter(statement=statement).count() == 2


def test_concurrent_saves_in_different_paragraphs_all_land_merged():
    """Five co-authors save at once from one base, each in their own paragraph: the
    lock serialises them and each later save is merged with those before it."""
    require_postgres()
    authors = [UserFactory(display_name=f"Autorin {i}") for i in range(5)]
    paragraphs = [f"Absatz {i} über die Bezahlkarte." for i in range(5)]
    statement = make_statement(
        author=authors[0], coauthors=authors[1:], body="\n\n".join(paragraphs)
    )
    base = statement.current_revision_id

    def save(i: int) -> Callable[[], object]:
        body = "\n\n".join(
            p.replace("Bezahlkarte", f"Bezahlkarte (Ergänzung {i})") if j == i else p
            for j, p in enumerate(paragraphs)
        )
        return lambda: revision_save(
            statement_id=statement.pk,
            author=authors[i],
            text=TextFields(statement.title, statement.occasion, statement.summary, body),
            message=f"Absatz {i}",
            base_revision_id=base,
        )

    results = _run_at_once([save(i) for i in range(5)])

    assert all(isinstance(r, Revision) for r in results), results
    body = Statement.objects.get(pk=statement.pk).body
    for i in range(5):
        assert f"Absatz {i} über die Bezahlkarte (Ergänzung {i})." in body
    revisions = list(Revision.objects.filter(statement=statement).order_by("number"))
    assert len(revisions) == 6
    # All but the first were merged, and each credits the authors saved before it.
    assert sum(1 for r in revisions if r.merged_with_id) == 4
    last = revisions[-1]
    assert {u.pk for u in last.credited.all()} | {last.author_id} == {a.pk for a in authors}
