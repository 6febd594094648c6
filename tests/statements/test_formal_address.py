"""The German interface addresses people with "Sie" throughout, never mixing in "du"."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.utils import translation

pytestmark = pytest.mark.django_db

INFORMAL = re.compile(r"\b(du|dich|dir|dein|deine|deinen|Dein|hast|kannst|Übernimm)\b")


def _text(response) -> str:
    html = response.content.decode()
    return re.sub(r"<[^>]+>", " ", html.split("<main", 1)[1])


def test_german_pages_use_sie(author, draft, client_for):
    client = client_for(author)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    for url in (
        "/dashboard/",
        f"/statements/{draft.slug}/edit/",
        f"/statements/{draft.slug}/coauthors/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert not INFORMAL.findall(_text(response)), url
    assert "Abstimmungen, die auf Sie warten" in client.get("/dashboard/").content.decode()


def test_english_dashboard_is_still_translated(author, client_for):
    client = client_for(author)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override(settings.LANGUAGE_CODE):  # the request leaves English active
        page = client.get("/dashboard/").content.decode()
    assert "Votes waiting for you" in page
    assert "No open votes for you." in page
