"""Language fixes from issue 16, item 11: no "vor 0 Minuten", topic names in the reader's
language, a German co-signing button that reads right; signed in after confirming."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone, translation

from core.templatetags.timewords import ago
from statements.services import topic_create
from tests.accounts.conftest import confirm_from_mail, sign_up
from tests.factories import UserFactory, make_statement

pytestmark = pytest.mark.django_db


def test_ago_says_just_now_for_the_first_minute():
    now = timezone.now()
    with translation.override("de"):
        assert ago(now) == "gerade eben"
        assert ago(now - timedelta(minutes=5)) == "vor 5\xa0Minuten"
    with translation.override("en"):
        assert ago(now) == "just now"
        assert ago(now - timedelta(minutes=5)) == "5\xa0minutes ago"


def test_dashboard_never_says_vor_0_minuten(author):
    make_statement(author=author, title="Frisch")
    client = Client()
    client.force_login(author)
    page = client.get("/dashboard/").content.decode()
    assert "zuletzt geändert gerade eben" in page
    assert "0\xa0Minuten" not in page and "0 Minuten" not in page


def test_english_editor_names_topics_in_english(author):
    topic_create(name="Bildung", name_en="Education")
    author.language = "en"
    author.save(update_fields=["language"])
    paper = make_statement(author=author)
    client = Client()
    client.force_login(author)
    page = client.get(f"/statements/{paper.slug}/edit/").content.decode()
    assert "Education" in page and "Bildung" not in page


def test_confirming_the_address_signs_the_person_in(client):
    sign_up(client, "nora@example.org")
    assert "_auth_user_id" not in client.session
    response = confirm_from_mail(client)
    assert response.status_code == 302
    assert client.session.get("_auth_user_id")


def test_cosign_button_reads_as_german():
    from tests.factories import OrganisationFactory, confirm_membership

    signer = UserFactory()
    confirm_membership(signer, OrganisationFactory(name="Interkultureller Garten"))
    paper = make_statement(state="published", title="Öffentlich")
    client = Client()
    client.force_login(signer)
    page = client.get(f"/statements/{paper.slug}/").content.decode()
    assert "Im Namen von Interkultureller Garten mitzeichnen" in page
    assert "Für Interkultureller Garten" not in page
