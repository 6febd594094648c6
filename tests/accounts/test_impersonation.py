"""Issue 13, item 6: people cannot pass for someone else.

The attack: a member signs up (or renames themselves) as "anna autorin", "Аnna Autorin"
with a Cyrillic А, or "Anna\\u200bAutorin" with a zero-width space, and then comments,
mentions and co-signs as if they were Anna Autorin. Or a title carries U+202E and reads
backwards on every list.
"""

from __future__ import annotations

import pytest
from django.apps import apps as django_apps
from django.db import IntegrityError, transaction
from django.test import Client

from accounts.models import Organisation, User
from accounts.permissions import is_member
from accounts.services import DisplayNameTaken, profile_update
from core.text import clean_line, name_key
from discussion.services import comment_create
from statements.models import Statement, Topic
from tests.accounts.conftest import SIGNUP_PASSWORD, confirm_from_mail, sign_up
from tests.factories import UserFactory, make_statement

pytestmark = pytest.mark.django_db

LOOK_ALIKES = [
    "Anna Autorin",  # the same
    "anna autorin",  # case
    "ANNA AUTORIN",
    "\u0410nna Autorin",  # Cyrillic capital A
    "Anna Aut\u043erin",  # Cyrillic small o
    "Anna\u200bAutorin",  # zero-width space instead of the space
    "Anna  Autorin ",  # doubled and trailing space
    "\uff21nna Autorin",  # fullwidth A (NFKC)
    "Anna \u202eAutorin",  # a bidi override inside
]
TAKEN = "Dieser Name ist schon vergeben"


@pytest.mark.parametrize("name", LOOK_ALIKES)
def test_signup_with_a_look_alike_name_is_refused(author, name):
    client = Client()
    response = sign_up(client, "falsche-anna@example.org", name=name)
    page = response.content.decode()
    assert response.status_code == 200
    assert TAKEN in page
    assert 'value="falsche-anna@example.org"' in page  # the input is kept
    assert not User.objects.filter(email="falsche-anna@example.org").exists()


@pytest.mark.parametrize("name", LOOK_ALIKES[1:])
def test_profile_rename_to_a_look_alike_is_refused(client_for, author, member, name):
    response = client_for(member).post(
        "/profile/", {"display_name": name, "language": "de", "organisations": []}
    )
    assert response.status_code == 400
    assert TAKEN in response.content.decode()
    member.refresh_from_db()
    assert member.display_name == "Mia Mitglied"


def test_own_name_may_change_its_case(client_for, author):
    response = client_for(author).post(
        "/profile/", {"display_name": "ANNA Autorin", "language": "de", "organisations": []}
    )
    assert response.status_code == 302
    author.refresh_from_db()
    assert author.display_name == "ANNA Autorin"


def test_invited_person_with_a_look_alike_name_is_refused_and_can_retry(
    client_for, coordinator, author, django_capture_on_commit_callbacks
):
    from accounts.services import invitation_create, invitation_token

    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(email="neu@example.org", invited_by=coordinator)
    client = Client()
    client.post(f"/invitation/{invitation_token(invitation)}/")
    response = sign_up(client, "neu@example.org", name="\u0410nna Autorin")
    assert response.status_code == 200 and TAKEN in response.content.decode()
    # A second try with an own name still carries the invitation.
    assert sign_up(client, "neu@example.org", name="Nadia Neu").status_code == 302
    confirm_from_mail(client)
    assert is_member(User.objects.get(email="neu@example.org"))


def test_admin_forms_refuse_a_look_alike(author):
    from accounts.admin import UserChangeAdminForm, UserCreationAdminForm

    add = UserCreationAdminForm(
        data={"email": "x@example.org", "display_name": "anna autorin", "usable_password": "false"}
    )
    assert not add.is_valid() and TAKEN in str(add.errors["display_name"])
    from accounts.forms import DisplayNameMixin

    assert issubclass(UserChangeAdminForm, DisplayNameMixin)  # the same check on edits


def test_database_refuses_a_look_alike_that_skips_the_forms(author):
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(display_name="\u0410NNA autorin")


def test_race_in_the_profile_becomes_a_form_error(client_for, author, member, monkeypatch):
    # Both validated while the name was free; the other one saved first.
    monkeypatch.setattr("accounts.forms.display_name_taken", lambda *a, **k: False)
    response = client_for(member).post(
        "/profile/", {"display_name": "anna autorin", "language": "de", "organisations": []}
    )
    assert response.status_code == 400
    assert TAKEN in response.content.decode()
    member.refresh_from_db()
    assert member.display_name == "Mia Mitglied"


def test_race_in_the_signup_becomes_a_form_error(author, monkeypatch):
    monkeypatch.setattr("accounts.forms.display_name_taken", lambda *a, **k: False)
    response = sign_up(Client(), "spaet@example.org", name="anna autorin")
    assert response.status_code == 200
    assert TAKEN in response.content.decode()
    assert not User.objects.filter(email="spaet@example.org").exists()  # rolled back


def test_service_refuses_a_look_alike(author, member):
    with pytest.raises(DisplayNameTaken):
        profile_update(
            user=member, display_name="Anna\u200bAutorin", language="de", organisations=[]
        )


def test_people_without_a_name_yet_do_not_collide():
    User.objects.create_user("a@example.org")
    User.objects.create_user("b@example.org")
    assert User.objects.filter(display_name_key__isnull=True).count() == 2


def test_migration_renames_existing_look_alikes(author):
    """Existing duplicates: the earlier person keeps the name, later ones get " (2)"."""
    from importlib import import_module

    migration = import_module("accounts.migrations.0004_display_name_key_unique")
    later = UserFactory(display_name="Lena")
    User.objects.filter(pk=later.pk).update(display_name="anna  AUTORIN\u202e")
    User.objects.update(display_name_key=None)
    migration.key_existing_names(django_apps, None)
    author.refresh_from_db()
    later.refresh_from_db()
    assert author.display_name == "Anna Autorin"
    assert later.display_name == "anna AUTORIN (2)"
    assert author.display_name_key and later.display_name_key != author.display_name_key


def test_name_key_folds_what_a_reader_cannot_tell_apart():
    assert len({name_key(n) for n in LOOK_ALIKES}) == 1
    assert name_key("Anna Autorin") != name_key("Anna Autor")
    assert name_key("Вера") != name_key("Anna")  # other scripts stay names of their own


# --- Bidirectional controls are stripped from every name and title ----------------------


def test_title_with_a_right_to_left_override_is_stored_clean(client_for, member):
    response = client_for(member).post(
        "/statements/new/",
        {
            "title": "Bezahlkarte \u202eabschaffen\u202c",
            "occasion": "Kreistag\u2066 im März\u2069",
            "summary": "Kurz\u200f.",
            "body": "Text.",
            "language": "de",
            "message": "",
        },
    )
    assert response.status_code == 302
    statement = Statement.objects.get()
    assert statement.title == "Bezahlkarte abschaffen"
    assert statement.current_revision.title == "Bezahlkarte abschaffen"
    assert statement.occasion == "Kreistag im März"
    assert statement.summary == "Kurz."


def test_title_of_only_bidi_controls_is_no_title(client_for, member):
    response = client_for(member).post(
        "/statements/new/", {"title": "\u202e\u202d", "body": "Text.", "language": "de"}
    )
    assert response.status_code in (200, 400)
    assert not Statement.objects.exists()


def test_display_name_organisation_and_topic_names_are_stored_clean(client_for, coordinator):
    c = client_for(coordinator)
    c.post("/profile/", {"display_name": "Kora\u202e Koordination", "language": "de"})
    coordinator.refresh_from_db()
    assert coordinator.display_name == "Kora Koordination"
    c.post("/coordination/organisations/", {"name": "Tafel\u202e Wurzen", "kind": "verein"})
    assert Organisation.objects.filter(name="Tafel Wurzen").exists()
    c.post("/coordination/topics/", {"name": "\u2067Wohnen\u2069", "name_en": "Hou\u200esing"})
    assert Topic.objects.filter(name="Wohnen", name_en="Housing").exists()


def test_clean_line_keeps_joiners_that_scripts_need():
    # Persian needs the zero-width non-joiner (U+200C) inside words.
    assert clean_line("می\u200cخواهم") == "می\u200cخواهم"
    assert clean_line(" a\t\nb\u00a0 c\u061c ") == "a b c"


# --- Role badge ------------------------------------------------------------------------


def test_comment_thread_shows_the_coordination_badge(client_for, author, coordinator, member):
    statement = make_statement(author=author, state="consultation")
    comment_create(statement=statement, author=coordinator, body="Bitte bis Freitag.")
    comment_create(statement=statement, author=member, body="Ich bin auch Koordination!")
    page = client_for(member).get(f"/statements/{statement.slug}/").content.decode()
    badge = '<span class="badge badge-role">Koordination</span>'
    assert page.count(badge) == 1
    coordinator_line = page[page.index("<bdi>Kora Koordination</bdi>") :][:200]
    assert badge in coordinator_line
    member_line = page[page.index("<bdi>Mia Mitglied</bdi>") :][:200]
    assert badge not in member_line


def test_signup_password_is_not_lost_on_a_refused_name(author):
    """A refused name keeps everything else: the second try with another name works."""
    client = Client()
    sign_up(client, "zweite@example.org", name="anna autorin")
    assert sign_up(client, "zweite@example.org", name="Anna Zwei").status_code == 302
    assert User.objects.get(email="zweite@example.org").check_password(SIGNUP_PASSWORD)
