from __future__ import annotations

from io import StringIO

import pytest

from statements.demo import seed
from statements.models import Revision, Statement, Topic
from statements.services import TextFields

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_with_revisions_by_several_people():
    from accounts.demo import seed as seed_accounts

    seed_accounts(stdout=StringIO())
    seed(stdout=StringIO())
    counts = (Topic.objects.count(), Statement.objects.count(), Revision.objects.count())
    seed(stdout=StringIO())
    assert (Topic.objects.count(), Statement.objects.count(), Revision.objects.count()) == counts
    assert Topic.objects.get(slug="bezahlkarte").name_en == "Payment card"
    assert Statement.objects.count() >= 3
    card = Statement.objects.get(slug="bezahlkarte-im-landkreis-leipzig-bargeldgrenze-aufheben")
    authors = set(card.revisions.values_list("author__email", flat=True))
    assert authors == {"amira@example.org", "jonas@example.org", "lena@example.org"}
    assert card.revisions.count() == 4 and card.coauthors.count() == 2
    assert TextFields.of(card.current_revision).body == card.body
    assert "<h2 id=" in card.current_revision.body_html
