"""seed_demo leaves at least one paper in every state, and running it twice changes nothing."""

from __future__ import annotations

from io import StringIO

import pytest

from statements.models import Statement
from statements.states import State
from workflow import demo
from workflow.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_demo_has_every_state_and_is_idempotent():
    from accounts.demo import seed as seed_accounts

    seed_accounts()
    demo.seed()
    states = set(Statement.objects.values_list("state", flat=True))
    assert states >= set(State.values)
    counts = (Statement.objects.count(), AuditEntry.objects.count())
    out = StringIO()
    demo.seed(stdout=out)
    assert f"{len(demo.PAPERS)} demo papers along the state table (0 new," in out.getvalue()
    assert (Statement.objects.count(), AuditEntry.objects.count()) == counts
    urgent = Statement.objects.get(is_urgent=True)
    assert urgent.state == State.CONSULTATION
    scheduled = Statement.objects.get(state=State.ACCEPTED)
    assert scheduled.publish_at is not None
