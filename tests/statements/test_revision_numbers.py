"""Each paper counts its own revisions 1, 2, 3 …, whatever the other papers do.

The history, the diff form ("ältere Fassung", "neuere Fassung") and every "Fassung N"
in mails and restore notes use these numbers. The tests elsewhere save one paper at a
time, where a revision's database id and its number happen to agree; a mutation run
(docs/mutation.md) showed that numbering by id instead passed all of them.
"""

from __future__ import annotations

import pytest

from statements.models import Revision
from statements.services import TextFields, revision_restore, revision_save
from tests.factories import make_statement

pytestmark = pytest.mark.django_db


def save(paper, author, body: str) -> Revision:
    paper.refresh_from_db()
    return revision_save(
        statement_id=paper.pk,
        author=author,
        text=TextFields(paper.title, paper.occasion, paper.summary, body),
        message="Änderung",
        base_revision_id=paper.current_revision_id,
    )


def test_interleaved_saves_number_each_paper_on_its_own(author, coauthor, client_for):
    first = make_statement(author=author, title="Erstes Papier")
    second = make_statement(author=coauthor, title="Zweites Papier")
    save(first, author, "Eins, zweite Fassung.")
    save(second, coauthor, "Zwei, zweite Fassung.")
    save(second, coauthor, "Zwei, dritte Fassung.")
    save(first, author, "Eins, dritte Fassung.")
    save(first, author, "Eins, vierte Fassung.")
    restored = revision_restore(
        statement_id=second.pk,
        author=coauthor,
        revision_number=1,
        base_revision_id=second.revisions.get(number=3).pk,
    )

    def numbers(paper) -> list[int]:
        return list(paper.revisions.order_by("created_at", "pk").values_list("number", flat=True))

    assert numbers(first) == [1, 2, 3, 4]
    assert numbers(second) == [1, 2, 3, 4]
    assert restored.number == 4 and restored.body == second.revisions.get(number=1).body
    first.refresh_from_db()
    assert first.current_revision.number == 4 and first.body == "Eins, vierte Fassung."
    history = client_for(author).get(f"/statements/{first.slug}/history/").content.decode()
    assert 'max="4"' in history
