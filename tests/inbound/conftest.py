"""Fixtures for replies by e-mail: a reply domain, a thread, and raw replies."""

from __future__ import annotations

from pathlib import Path

import pytest

from discussion import services as discussion
from inbound.targets import COMMENT_THREAD
from inbound.tokens import reply_address

FIXTURES = Path(__file__).parent / "fixtures"
DOMAIN = "antwort.example.org"


@pytest.fixture(autouse=True)
def reply_domain(settings):
    settings.RTM_REPLY_DOMAIN = DOMAIN
    settings.SITE_URL = "https://positionen.example.org"


@pytest.fixture
def thread(in_consultation, member):
    """A comment by a member on a paper in consultation (a thread others answer)."""
    return discussion.comment_create(
        statement=in_consultation, author=member, body="Der zweite Absatz ist zu lang."
    )


def raw_reply(fixture: str, *, to: str, sender: str, message_id: str) -> bytes:
    text = (FIXTURES / fixture).read_text(encoding="ascii")
    text = text.replace("{{TO}}", to).replace("{{FROM}}", sender)
    text = text.replace("{{MESSAGE_ID}}", message_id)
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode("ascii")


def address_for(user, comment, target: str = COMMENT_THREAD) -> str:
    return reply_address(user_id=user.pk, target=target, target_id=comment.thread_root_id)
