"""The discussion's events through the real notifications app (no stand-in)."""

from __future__ import annotations

import pytest

from discussion import services
from notifications.models import Notification
from tests.discussion.conftest import block_ids


@pytest.fixture
def real_notifications(events, monkeypatch):
    monkeypatch.undo()  # drop the recording stand-in from conftest


def kinds_for(user) -> set[str]:
    return set(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_comment_mention_reply_and_suggestion_reach_the_right_people(
    real_notifications, in_consultation, member, author, coauthor, coordinator
):
    ids = block_ids(in_consultation)
    suggestion = services.comment_create(
        statement=in_consultation,
        author=member,
        body="Vorschlag, @Kora Koordination sieh mal",
        block_id=ids[0],
        suggestion_text="Besser.",
    )
    services.comment_reply(parent=suggestion, author=coauthor, body="Einverstanden")
    services.suggestion_apply(comment=suggestion, actor=author)

    assert "comment_created" in kinds_for(author)
    assert "mentioned" in kinds_for(coordinator)
    assert {"comment_created", "suggestion_applied"} <= kinds_for(member)
    assert "mentioned" not in kinds_for(member)
