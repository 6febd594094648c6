"""Permalinks spell German words the way readers expect: ß → ss, ü → ue."""

from __future__ import annotations

from io import StringIO

import pytest

from statements.models import Statement
from statements.services import TextFields, statement_create

pytestmark = pytest.mark.django_db


def _text(title: str) -> TextFields:
    return TextFields(title=title, occasion="Anlass", summary="Kurz.", body="Text.")


def test_umlauts_and_sharp_s_are_transliterated(member):
    statement = statement_create(
        author=member, text=_text("Sammelunterkunft Borna sofort schließen – Größe zählt")
    )
    assert statement.slug == "sammelunterkunft-borna-sofort-schliessen-groesse-zaehlt"
    again = statement_create(
        author=member, text=_text("Sammelunterkunft Borna sofort schließen – Größe zählt")
    )
    assert again.slug == "sammelunterkunft-borna-sofort-schliessen-groesse-zaehlt-2"


def test_demo_data_made_before_the_change_is_not_seeded_twice():
    """An existing demo database has the old slugs; seeding again adds nothing."""
    from accounts.demo import seed as seed_accounts
    from statements.demo import seed as seed_statements
    from workflow.demo import seed as seed_workflow

    seed_accounts(stdout=StringIO())
    seed_statements(stdout=StringIO())
    seed_workflow(stdout=StringIO())
    assert Statement.objects.filter(slug="sammelunterkunft-borna-sofort-schliessen").exists()
    # Give every paper the slug plain slugify() made before, as in an older var/db.sqlite3.
    from django.utils.text import slugify

    for statement in Statement.objects.all():
        Statement.objects.filter(pk=statement.pk).update(slug=slugify(statement.title)[:100])
    count = Statement.objects.count()
    seed_statements(stdout=StringIO())
    seed_workflow(stdout=StringIO())
    assert Statement.objects.count() == count
