"""The volume data command (issue 20): realistic German papers, idempotent labels."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from statements.generate import COMMONEST_WORD, NO_HIT_WORD, text_for
from statements.models import Statement

pytestmark = pytest.mark.django_db


def test_generates_public_papers_once_per_label():
    call_command("generate_positions", count=4, words=200)
    call_command("generate_positions", count=4, words=200)  # nothing new
    call_command("generate_positions", count=6, words=200)  # only 5 and 6
    generated = Statement.objects.filter(slug__startswith="generiert-").order_by("slug")
    assert [s.slug for s in generated] == [f"generiert-{n:05d}" for n in range(1, 7)]
    assert all(s.is_public and s.current_revision_id for s in generated)
    assert all(s.topics.exists() for s in generated)
    paper = generated[0]
    assert paper.body == text_for(1, 200)["body"]  # the same label, the same text
    assert "<h2" in paper.current_revision.body_html


def test_the_text_is_german_prose_with_the_benchmarks_words():
    text = text_for(42)
    assert 900 <= len(text["body"].split()) <= 1300
    assert COMMONEST_WORD in text["summary"] and NO_HIT_WORD not in text["body"]
    assert "## " in text["body"] and "\n- " in text["body"]


def test_generated_papers_are_listed_and_found():
    call_command("generate_positions", count=3, words=150)
    client = Client()
    assert client.get("/statements/").text.count("generiert-000") == 3
    found = client.get(f"/statements/?q={COMMONEST_WORD}").text
    assert "3 Positionen" in found
    assert "0 Positionen" in client.get(f"/statements/?q={NO_HIT_WORD}").text
