"""Who wrote a paper is asked on every page and for every row of a list: it costs one
query per paper at most, none where the page prefetched the co-authors, and one for a
whole list (prime_author_ids: the in-app notifications, the mail batches, the export).

The page tests compare a small paper with a big one, so a query added to both went
unnoticed; a mutation run (docs/mutation.md) showed the caches could be dropped whole.
Here the counts are pinned where the caches are filled.
"""

from __future__ import annotations

import pytest
from django.db.models import Prefetch

from statements import permissions as perms
from statements.models import Coauthorship, Statement
from tests.factories import UserFactory, make_statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def papers():
    """Three drafts with different authors: [(paper, creator, coauthor)]."""
    made = []
    for _ in range(3):
        creator, coauthor = UserFactory(), UserFactory()
        made.append((make_statement(author=creator, coauthors=[coauthor]), creator, coauthor))
    return made


def fresh(paper: Statement) -> Statement:
    return Statement.objects.get(pk=paper.pk)


def test_authors_are_read_once_per_paper(papers, django_assert_num_queries):
    paper, creator, coauthor = papers[0]
    paper = fresh(paper)
    with django_assert_num_queries(1):  # the co-authors
        for _ in range(3):
            assert perms.author_ids(paper) == {creator.pk, coauthor.pk}
            assert perms.can_edit(coauthor, paper)


def test_prefetched_coauthors_cost_no_query(papers, django_assert_num_queries):
    """The statement pages prefetch the co-authors (statements.views._statements)."""
    paper, creator, coauthor = papers[0]
    paper = Statement.objects.prefetch_related(
        Prefetch("coauthorships", queryset=Coauthorship.objects.select_related("user"))
    ).get(pk=paper.pk)
    with django_assert_num_queries(0):
        assert perms.author_ids(paper) == {creator.pk, coauthor.pk}
        assert perms.can_view_internal(coauthor, paper)


def test_a_list_is_primed_with_one_query(papers, django_assert_num_queries):
    rows = [fresh(paper) for paper, _, _ in papers]
    with django_assert_num_queries(1):  # the co-authors of every paper in the list
        perms.prime_author_ids([rows[0], None, rows[1], rows[2], None])
    with django_assert_num_queries(0):
        for i, (row, (_, creator, coauthor)) in enumerate(zip(rows, papers, strict=True)):
            assert perms.author_ids(row) == {creator.pk, coauthor.pk}
            assert perms.can_view(coauthor, row)
            someone_elses_coauthor = papers[(i + 1) % len(papers)][2]
            assert not perms.can_view(someone_elses_coauthor, row)  # a draft
        perms.prime_author_ids(rows)  # primed already: nothing to ask


def test_priming_keeps_what_a_page_already_knows(papers, django_assert_num_queries):
    first, second = fresh(papers[0][0]), fresh(papers[1][0])
    perms.author_ids(first)
    with django_assert_num_queries(1):  # only the paper not yet known
        perms.prime_author_ids([first, second])
    with django_assert_num_queries(0):
        assert perms.author_ids(second) == {papers[1][1].pk, papers[1][2].pk}
