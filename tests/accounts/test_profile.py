"""Profile editing, personal data export and account deletion."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django.test import Client

from accounts.models import AdmissionRequest, Invitation, User
from tests.factories import OrganisationFactory, UserFactory, confirm_membership

pytestmark = pytest.mark.django_db


def test_edit_profile(client_for, member, organisation):
    response = client_for(member).post(
        "/profile/",
        {"display_name": "Mia M.", "language": "en", "organisations": [organisation.pk]},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.display_name == "Mia M."
    assert member.language == "en"
    # The tick is a request, not yet a membership that speaks for the organisation.
    assert [(m.organisation, m.status) for m in member.organisation_memberships.all()] == [
        (organisation, "requested")
    ]


def test_profile_errors_keep_input(client_for, member):
    response = client_for(member).post(
        "/profile/", {"display_name": "   ", "language": "xx", "organisations": []}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "errorlist" in html
    member.refresh_from_db()
    assert member.display_name == "Mia Mitglied"


def test_export_contains_my_data_and_nobody_elses(client_for, member):
    other = UserFactory(display_name="Otto Anders", email="otto@example.org")
    org = OrganisationFactory(name="Netzwerk Colditz")
    confirm_membership(member, org)
    confirm_membership(other, OrganisationFactory(name="Geheimverein Otto"))
    AdmissionRequest.objects.create(
        user=member, reason="Mein Grund zum Mitmachen", decision="admitted"
    )
    AdmissionRequest.objects.create(user=other, reason="Ottos privater Grund")
    response = client_for(member).get("/profile/export/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    raw = response.content.decode()
    data = json.loads(raw)
    assert data["accounts"]["profile"]["email"] == member.email
    assert data["accounts"]["profile"]["display_name"] == "Mia Mitglied"
    assert [o["name"] for o in data["accounts"]["organisations"]] == ["Netzwerk Colditz"]
    assert data["accounts"]["admission_requests"][0]["reason"] == "Mein Grund zum Mitmachen"
    assert data["accounts"]["email_addresses"] == [
        {"email": member.email, "verified": True, "primary": True}
    ]
    for foreign in ["otto@example.org", "Otto Anders", "Geheimverein Otto", "Ottos privater Grund"]:
        assert foreign not in raw
    assert "password" not in raw


def test_export_collects_other_apps_parts(client_for, member, monkeypatch):
    import accounts.export

    monkeypatch.setattr(
        accounts.export, "APP_EXPORTERS", ("tests.accounts.test_profile.fake_exporter",)
    )
    data = client_for(member).get("/profile/export/").json()
    assert data["tests"] == {"user": member.pk}


def test_a_missing_export_part_is_an_error_not_a_shorter_export(member, monkeypatch):
    """Issue 14: the export used to skip a part whose module did not import, so a person
    got an incomplete copy of their data and nobody noticed."""
    import accounts.export

    monkeypatch.setattr(
        accounts.export, "APP_EXPORTERS", ("tests.accounts.test_profile.fake_exporter", "nope.x")
    )
    with pytest.raises(ImportError):
        accounts.export.collect_user_data(member)


def test_every_app_with_an_export_module_is_asked():
    from django.apps import apps

    from accounts.export import APP_EXPORTERS

    with_export = {
        config.label
        for config in apps.get_app_configs()
        if (Path(config.path) / "export.py").exists() and config.label != "accounts"
    }
    assert with_export == {dotted.split(".")[0] for dotted in APP_EXPORTERS}
    assert with_export >= {"statements", "workflow", "discussion", "voting", "notifications"}


def fake_exporter(user):
    return {"user": user.pk}


def test_delete_account_needs_the_password(client_for, member):
    client = client_for(member)
    assert client.get("/profile/delete/").status_code == 200
    response = client.post("/profile/delete/", {"password": "falsch"})
    assert response.status_code == 400
    assert "Das Passwort stimmt nicht." in response.content.decode()
    assert User.objects.filter(pk=member.pk).exists()


def test_delete_account_removes_personal_data(client_for, member, coordinator):
    Invitation.objects.create(email=member.email, invited_by=coordinator)
    invited_by_member = Invitation.objects.create(email="freund@example.org", invited_by=member)
    client = client_for(member)
    second_device = Client()
    second_device.login(email=member.email, password="rtm-test-pass-2026")
    assert Session.objects.count() == 2
    pk, email = member.pk, member.email

    response = client.post("/profile/delete/", {"password": "rtm-test-pass-2026"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=pk).exists()
    assert not EmailAddress.objects.filter(email=email).exists()
    assert not Invitation.objects.filter(email=email).exists()
    invited_by_member.refresh_from_db()
    assert invited_by_member.invited_by is None  # the other person's invitation stays
    # Signed out everywhere.
    assert Session.objects.count() == 0
    assert second_device.get("/profile/").status_code == 302
    assert client.get("/profile/").status_code == 302
    # The address is free again; the old password no longer works.
    assert not Client().login(email=email, password="rtm-test-pass-2026")


def test_delete_keeps_statements_as_former_member(client_for, author, coordinator):
    from tests.factories import make_statement

    statement = make_statement(author=author, state="consultation")
    client_for(author).post("/profile/delete/", {"password": "rtm-test-pass-2026"})
    statement.refresh_from_db()
    assert statement.title
    assert not User.objects.filter(pk=author.pk).exists()


def test_export_with_real_content_of_other_apps(client_for, author, member):
    from accounts.export import APP_EXPORTERS
    from tests.factories import make_statement

    make_statement(author=author, state="consultation", title="Meine eigene Stellungnahme")
    make_statement(author=member, state="draft", title="Fremder Entwurf von Mia")
    response = client_for(author).get("/profile/export/")
    assert response.status_code == 200
    data = response.json()
    raw = response.content.decode()
    assert "Meine eigene Stellungnahme" in raw
    assert "Fremder Entwurf von Mia" not in raw
    for dotted in APP_EXPORTERS:
        assert dotted.split(".")[0] in data


def test_delete_password_guessing_is_rate_limited(client_for, member):
    client = client_for(member)
    statuses = [
        client.post("/profile/delete/", {"password": "falsch"}).status_code for _ in range(12)
    ]
    assert statuses[0] == 400
    assert statuses[-1] == 429
    response = client.post("/profile/delete/", {"password": "rtm-test-pass-2026"})
    assert response.status_code == 429
    assert User.objects.filter(pk=member.pk).exists()


def test_saving_the_profile_language_replaces_an_old_switch(client_for, member):
    client = client_for(member)
    client.post("/language/", {"language": "en", "next": "/"})
    response = client.post(
        "/profile/", {"display_name": member.display_name, "language": "de", "organisations": []}
    )
    assert response.status_code == 302
    assert response.cookies["django_language"].value == ""  # deleted
    client.cookies.pop("django_language", None)
    assert '<html lang="de" dir="ltr">' in client.get("/profile/").content.decode()
