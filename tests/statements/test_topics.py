"""The coordination manages topics: create, rename (slug and feed URL stay), nobody else."""

from __future__ import annotations

import pytest
from django.test import Client

from statements.models import Topic
from tests.factories import make_statement
from tests.public.conftest import publish

pytestmark = pytest.mark.django_db


def test_coordinator_creates_a_topic_with_a_german_slug(client_for, coordinator):
    response = client_for(coordinator).post(
        "/coordination/topics/", {"name": "  Gesundheitsversorgung & Zugänge ", "name_en": "Health"}
    )
    assert response.status_code == 302
    topic = Topic.objects.get()
    assert (topic.name, topic.name_en, topic.slug) == (
        "Gesundheitsversorgung & Zugänge",
        "Health",
        "gesundheitsversorgung-zugaenge",
    )
    page = client_for(coordinator).get("/coordination/topics/").content.decode()
    assert "Gesundheitsversorgung &amp; Zugänge" in page


def test_a_duplicate_name_is_a_form_error_that_keeps_the_input(client_for, coordinator):
    Topic.objects.create(name="Wohnen", slug="wohnen")
    response = client_for(coordinator).post(
        "/coordination/topics/", {"name": "wohnen", "name_en": "Housing (again)"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ein Thema mit diesem Namen gibt es schon." in html
    assert 'value="Housing (again)"' in html
    assert Topic.objects.count() == 1


def test_same_slug_base_gets_a_number(client_for, coordinator):
    Topic.objects.create(name="Arbeit", slug="arbeit")
    client_for(coordinator).post("/coordination/topics/", {"name": "Arbeit!", "name_en": ""})
    assert set(Topic.objects.values_list("slug", flat=True)) == {"arbeit", "arbeit-2"}


def test_renaming_keeps_the_slug_and_refreshes_public_pages(client_for, coordinator):
    topic = Topic.objects.create(name="Altes Thema", name_en="Old topic", slug="altes-thema")
    statement = make_statement(state="draft")
    statement.topics.add(topic)
    publish(statement, coordinator=coordinator)
    assert "Altes Thema" in Client().get("/statements/").content.decode()  # now cached
    listing = client_for(coordinator).get("/coordination/topics/").content.decode()
    assert '<a href="/statements/?topic=altes-thema">1</a>' in listing
    response = client_for(coordinator).post(
        f"/coordination/topics/{topic.pk}/edit/", {"name": "Neues Thema", "name_en": "New topic"}
    )
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.slug == "altes-thema"
    page = Client().get("/statements/").content.decode()
    assert "Neues Thema" in page and "Altes Thema" not in page
    feed = Client().get("/statements/feed/altes-thema/")
    assert feed.status_code == 200 and "Neues Thema" in feed.content.decode()


def test_renaming_to_another_topics_name_is_refused(client_for, coordinator):
    Topic.objects.create(name="Wohnen", slug="wohnen")
    other = Topic.objects.create(name="Arbeit", slug="arbeit")
    response = client_for(coordinator).post(
        f"/coordination/topics/{other.pk}/edit/", {"name": "WOHNEN", "name_en": ""}
    )
    assert response.status_code == 400
    assert 'value="WOHNEN"' in response.content.decode()
    other.refresh_from_db()
    assert other.name == "Arbeit"


@pytest.mark.parametrize("who", ["member", "registered", "suspended"])
def test_only_coordinators_manage_topics(request, client_for, who):
    user = request.getfixturevalue(who)
    topic = Topic.objects.create(name="Wohnen", slug="wohnen")
    client = client_for(user)
    assert client.get("/coordination/topics/").status_code == 403
    assert client.post("/coordination/topics/", {"name": "X"}).status_code == 403
    assert client.post(f"/coordination/topics/{topic.pk}/edit/", {"name": "Y"}).status_code == 403
    assert Topic.objects.count() == 1 and Topic.objects.get().name == "Wohnen"


def test_visitors_are_sent_to_sign_in_and_unknown_topics_are_404(client_for, coordinator):
    response = Client().get("/coordination/topics/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client_for(coordinator).get("/coordination/topics/999999/edit/").status_code == 404
    assert client_for(coordinator).get("/coordination/topics/x/edit/").status_code == 404


def test_a_name_taken_in_a_race_is_a_clear_error_not_a_500(client_for, coordinator, monkeypatch):
    """Two coordinators create the same topic at once: the form check passed for both."""
    from statements import forms, services

    Topic.objects.create(name="Wohnen", slug="wohnen")
    with pytest.raises(services.TopicNameTaken):
        services.topic_create(name="Wohnen")
    # The other request committed between this one's form checks and its INSERT.
    monkeypatch.setattr(forms.TopicForm, "clean_name", lambda self: self.cleaned_data["name"])
    monkeypatch.setattr(forms.TopicForm, "validate_unique", lambda self: None)
    response = client_for(coordinator).post(
        "/coordination/topics/", {"name": "Wohnen", "name_en": "Housing"}
    )
    assert response.status_code == 400
    assert "Ein Thema mit diesem Namen gibt es schon." in response.content.decode()
    assert 'value="Housing"' in response.content.decode()
    other = Topic.objects.create(name="Arbeit", slug="arbeit")
    response = client_for(coordinator).post(
        f"/coordination/topics/{other.pk}/edit/", {"name": "Wohnen", "name_en": ""}
    )
    assert response.status_code == 400
    assert Topic.objects.filter(name="Wohnen").count() == 1


def test_an_unused_topic_can_be_deleted_a_used_one_not(client_for, coordinator):
    unused = Topic.objects.create(name="Tippfehler", slug="tippfehler")
    used = Topic.objects.create(name="Wohnen", slug="wohnen")
    make_statement(state="draft").topics.add(used)
    c = client_for(coordinator)
    page = c.get("/coordination/topics/").content.decode()
    assert f"/coordination/topics/{unused.pk}/delete/" in page
    assert f"/coordination/topics/{used.pk}/delete/" not in page
    response = c.post(f"/coordination/topics/{used.pk}/delete/", follow=True)
    assert "kann nicht gelöscht werden" in response.content.decode()
    assert Topic.objects.filter(pk=used.pk).exists()
    response = c.post(f"/coordination/topics/{unused.pk}/delete/", follow=True)
    assert "Tippfehler" in response.content.decode()  # the confirmation names it
    assert not Topic.objects.filter(pk=unused.pk).exists()
    # Deleting again (a double click) is a 404, not a 500; GET is not allowed.
    assert c.post(f"/coordination/topics/{unused.pk}/delete/").status_code == 404
    assert c.get(f"/coordination/topics/{used.pk}/delete/").status_code == 405
    assert client_for(None).post(f"/coordination/topics/{used.pk}/delete/").status_code == 302
