"""public.demo.seed: co-signatures on published demo papers, idempotent."""

from __future__ import annotations

import io

from django.test import Client

from public.demo import seed
from public.models import CoSignature
from tests.factories import make_statement


def test_demo_cosignatures_are_idempotent(db):
    from accounts.demo import seed as seed_accounts

    seed_accounts(stdout=io.StringIO())
    first = make_statement(state="published", title="Erste Position")
    make_statement(state="published", title="Zweite Position")
    make_statement(state="consultation", title="Noch intern")
    out = io.StringIO()
    seed(stdout=out)
    count = CoSignature.objects.count()
    assert count >= 4
    assert "co-signatures" in out.getvalue()
    seed(stdout=io.StringIO())
    assert CoSignature.objects.count() == count
    assert not CoSignature.objects.filter(statement__state="consultation").exists()
    page = Client().get(f"/statements/{first.slug}/").content.decode()
    assert "Willkommensinitiative Grimma" in page
    assert "Amira" not in page
