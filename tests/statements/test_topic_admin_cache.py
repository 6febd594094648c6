"""A topic renamed in the admin shows its new name on the public pages at once."""

from __future__ import annotations

from django.test import Client

from statements.models import Topic
from tests.factories import UserFactory, make_statement
from tests.public.conftest import publish


def test_renaming_a_topic_refreshes_cached_public_pages(client_for, coordinator):
    topic = Topic.objects.create(name="Altes Thema", name_en="Old topic", slug="altes-thema")
    statement = make_statement(state="draft")
    statement.topics.add(topic)
    publish(statement, coordinator=coordinator)
    assert "Altes Thema" in Client().get("/statements/").content.decode()  # now cached
    staff = UserFactory(is_staff=True, is_superuser=True)
    response = client_for(staff).post(
        f"/admin/statements/topic/{topic.pk}/change/",
        {"name": "Neues Thema", "name_en": "New topic", "slug": "altes-thema"},
    )
    assert response.status_code == 302
    page = Client().get("/statements/").content.decode()
    assert "Neues Thema" in page
    assert "Altes Thema" not in page


def test_the_admin_cannot_change_a_topics_slug(client_for):
    """Issue 14: the admin offered the slug for editing, breaking feed and list URLs."""
    staff = UserFactory(is_staff=True, is_superuser=True)
    client = client_for(staff)
    add = client.get("/admin/statements/topic/add/").content.decode()
    assert 'name="slug"' not in add
    response = client.post(
        "/admin/statements/topic/add/",
        {"name": "Familiennachzug", "name_en": "Family reunification", "slug": "eigener-slug"},
    )
    assert response.status_code == 302
    topic = Topic.objects.get(name="Familiennachzug")
    assert topic.slug == "familiennachzug"  # made from the name, as on /coordination/topics/

    change = f"/admin/statements/topic/{topic.pk}/change/"
    page = client.get(change).content.decode()
    assert 'name="slug"' not in page and "familiennachzug" in page  # shown, read-only
    response = client.post(change, {"name": "Nachzug", "name_en": "", "slug": "anders"})
    assert response.status_code == 302
    topic.refresh_from_db()
    assert (topic.name, topic.slug) == ("Nachzug", "familiennachzug")
