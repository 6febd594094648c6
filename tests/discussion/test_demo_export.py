"""Demo data and the personal data export."""

from __future__ import annotations

import json

from discussion import demo
from discussion.export import user_data
from discussion.models import Comment, Mention, SuggestionStatus
from discussion.services import comment_edit
from tests.discussion.conftest import comment_on
from tests.factories import UserFactory, make_statement


def test_demo_seed_is_idempotent(db):
    people = {
        e: UserFactory(email=e, display_name=n, is_coordinator=e.startswith("koord"))
        for e, n in [
            ("koordination@example.org", "Koordination RTM"),
            ("amira@example.org", "Amira"),
            ("jonas@example.org", "Jonas"),
            ("lena@example.org", "Lena"),
        ]
    }
    consultation = make_statement(author=people["amira@example.org"], state="consultation")
    draft = make_statement(author=people["jonas@example.org"], state="draft", title="Entwurf")
    papers = {consultation.pk, draft.pk}  # seed_demo passes the demo's own papers
    demo.seed(papers=papers)
    counts = Comment.objects.count()
    demo.seed(papers=papers)
    assert Comment.objects.count() == counts
    assert Comment.objects.filter(statement=draft).exists()
    assert Comment.objects.filter(
        statement=consultation, suggestion_status=SuggestionStatus.OPEN
    ).exists()
    assert Comment.objects.filter(statement=consultation, parent__isnull=False).exists()
    assert Mention.objects.filter(user=people["koordination@example.org"]).exists()


def test_export_holds_only_own_data(in_consultation, member, author):
    mine = comment_on(in_consultation, member, "Meins")
    comment_edit(comment=mine, editor=member, body="Meins, geändert")
    comment_on(in_consultation, author, "Fremd @Mia Mitglied")
    data = user_data(member)
    json.dumps(data)
    assert [c["body"] for c in data["comments"]] == ["Meins, geändert"]
    assert data["comments"][0]["earlier_versions"][0]["body"] == "Meins"
    assert len(data["mentioned_in"]) == 1
    assert "Fremd" not in json.dumps(data)
