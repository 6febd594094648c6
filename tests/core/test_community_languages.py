"""The interface in Arabic, Farsi, Ukrainian, Russian and Turkish (issue 19, item 6).

German and English are checked on every page (test_every_page_both_languages.py). The
five community languages share its templates, so a representative set of pages per
language is enough here (every page × five more languages would make that test 3.5 times
slower): public pages, a paper in each phase, the members' and the coordinators' pages,
forms and allauth's pages. Each must answer 200 with <html lang dir> of the language, show
the language's own words where its catalogue has them, and never fall back to German: an
untranslated string reads in English (compiletranslations fills it from the English
catalogue), so no German piece of our msgids and no German date may show.
"""

from __future__ import annotations

import re
from functools import cache

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from tests.authz.conftest import world as authz_world
from tests.core.test_every_page_both_languages import (
    ALLAUTH_PAGES,
    ROOT,
    german_left_in,
    page_requests,
    stored_text,
    visible_text,
)

pytestmark = pytest.mark.django_db

world = authz_world

COMMUNITY = ("ar", "fa", "uk", "ru", "tr")
RTL = {"ar", "fa"}
# One page per kind: public reading, a paper in each phase a member meets, the editor and
# its history, discussion, meetings, notifications, the mailing list, the coordination,
# the profile and allauth's forms.
REPRESENTATIVE = {
    "public:home",
    "public:statement_list",
    "public:feed_about",
    "public:verify[published]",
    "public:statement_page[published]",
    "public:statement_page[retracted]",
    "public:statement_page[consultation]",
    "public:statement_page[voting]",
    "public:statement_page[draft]",
    "public:companion_list[published]",
    "public:companion_write[published]",
    "public:dispatch[published]",
    "public:address_book",
    "public:desk",
    "statements:dashboard",
    "statements:new",
    "statements:edit[draft]",
    "statements:history[consultation]",
    "statements:search",
    "discussion:report_queue",
    "meetings:list",
    "meetings:manage",
    "notifications:list",
    "notifications:preferences",
    "maillist:archive",
    "accounts:profile",
    "accounts:directory",
    "accounts:admission_queue",
    "core:about",
    *(name for name, _role in ALLAUTH_PAGES),
}
GERMAN_MONTHS_AND_DAYS = re.compile(
    r"\b(Januar|Februar|März|Mai|Juni|Juli|Oktober|Dezember|Montag|Dienstag|Mittwoch|"
    r"Donnerstag|Freitag|Samstag|Sonntag)\b"
)


def representative_requests(world):
    chosen = [r for r in page_requests(world) if r[0] in REPRESENTATIVE]
    missing = REPRESENTATIVE - {label for label, _path, _role in chosen}
    assert not missing, f"no longer in the matrix: {missing}"
    return chosen


@cache
def kept_by_translator(language: str) -> str:
    """Every translation of the language's catalogues: German a translator kept on purpose
    (a legal term like "Impressum" in brackets, a programme's proper name) is no fallback."""
    paths = [*ROOT.glob(f"*/locale/{language}/LC_MESSAGES/django.po")]
    paths.append(ROOT / f"locale/{language}/LC_MESSAGES/django.po")
    strings = []
    for path in paths:
        with path.open("rb") as handle:
            for message in read_po(handle, locale=language):
                value = message.string
                strings += list(value) if isinstance(value, tuple | list) else [value or ""]
    return "\n".join(strings)


def german_in(text: str, language: str) -> list[str]:
    kept = kept_by_translator(language)
    found = [f"German: {g}" for g in german_left_in(text) if g.split(" («")[0] not in kept]
    found += [f"German date: {d}" for d in GERMAN_MONTHS_AND_DAYS.findall(text)]
    if language != "tr":  # Turkish writes ö and ü itself
        words = re.findall(r"\w*[äöüÄÖÜß]\w*", text)
        found += [f"German word: {w}" for w in words if w not in kept]
    return found


def test_representative_pages_in_each_community_language(world):
    failures: dict[str, list[str]] = {}
    typed = stored_text()
    requests = representative_requests(world)
    for label, path, role in requests:
        client = world.client(role)
        for language in COMMUNITY:
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            with transaction.atomic():
                response = client.get(path)
                transaction.set_rollback(True)
            assert response.status_code == 200, (label, language, response.status_code)
            html = response.content.decode()
            direction = "rtl" if language in RTL else "ltr"
            assert f'<html lang="{language}" dir="{direction}">' in html, (label, language)
            with translation.override(language):
                # The menu link to the positions, in the language (its own word where the
                # catalogue has one, else English): the catalogue is loaded.
                assert f">{translation.gettext('Positionen')}</a>" in html, (label, language)
            found = german_in(visible_text(html, language, typed), language)
            if found:
                failures[f"{label} ({language}, {role})"] = sorted(set(found))
    for client in world.clients.values():
        client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    assert len(requests) >= len(REPRESENTATIVE)
    assert not failures, "\n".join(f"{k}: {v}" for k, v in failures.items())


def test_german_and_english_stay_left_to_right(world):
    client = world.client("visitor")
    for language in ("de", "en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        html = client.get(reverse("public:home")).content.decode()
        assert f'<html lang="{language}" dir="ltr">' in html
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)


def test_the_switch_names_each_language_in_itself(world):
    client = world.client("visitor")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    html = client.get(reverse("public:home")).content.decode()
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    # The current language on the switch's button, the six others as buttons, each
    # marked with its language (and direction) so screen readers pronounce it right.
    assert '<span class="lang-name" lang="ar">العربية</span>' in html
    for code, name, direction in (
        ("de", "Deutsch", "ltr"),
        ("en", "English", "ltr"),
        ("fa", "فارسی", "rtl"),
        ("uk", "Українська", "ltr"),
        ("ru", "Русский", "ltr"),
        ("tr", "Türkçe", "ltr"),
    ):
        assert (
            f'name="language" value="{code}" lang="{code}" dir="{direction}" '
            f'class="link-button">{name}</button>'
        ) in html
    assert 'value="ar" lang="ar"' not in html  # not offered as a change


@pytest.mark.parametrize("language", COMMUNITY)
def test_switching_language_without_javascript(client, language):
    """The switch is a plain form: the POST sets the cookie and comes back to the page."""
    response = client.post(
        reverse("accounts:set_language"),
        {"language": language, "next": reverse("public:statement_list")},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("public:statement_list")
    html = client.get(response["Location"]).content.decode()
    assert f'<html lang="{language}" dir="{"rtl" if language in RTL else "ltr"}">' in html


def test_a_member_keeps_the_chosen_language(world):
    from accounts.models import User

    member = world.users["member"]
    client = world.client("member")
    client.post(reverse("accounts:set_language"), {"language": "uk", "next": "/"})
    assert User.objects.get(pk=member.pk).language == "uk"
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    # Without the cookie (another device) the profile's language holds.
    assert '<html lang="uk" dir="ltr">' in client.get("/").content.decode()
    User.objects.filter(pk=member.pk).update(language="de")


def test_dates_in_each_language_use_its_own_format():
    import datetime as dt

    from django.utils import formats

    moment = dt.datetime(2026, 12, 7, 14, 30)
    expected = {
        "uk": "7 грудня 2026, 14:30",
        "ru": "7 декабря 2026, 14:30",
        "tr": "7 Aralık 2026, 14:30",
        "de": "7. Dezember 2026, 14:30",
        "en": "7 December 2026, 14:30",
    }
    for language, text in expected.items():
        with translation.override(language):
            assert formats.date_format(moment, "DATETIME_FORMAT") == text, language
    for language in ("ar", "fa"):
        with translation.override(language):
            shown = formats.date_format(moment, "DATETIME_FORMAT")
            assert shown.startswith("7 ") and shown.endswith("2026، 14:30"), shown
            assert "December" not in shown and "Dezember" not in shown, shown


@pytest.mark.parametrize("language", ["ar", "uk"])
def test_every_mail_in_a_community_language(world, language):
    """Mail goes out in the reader's language too: right-to-left HTML for Arabic, and never
    German (the offices of the address book are written to in German: left out)."""
    from notifications import emails
    from notifications.builders import Loaded
    from tests.core.test_every_page_both_languages import mail_rows, without

    failures: dict[str, list[str]] = {}
    rows = list(mail_rows(world))
    typed = stored_text()  # after the rows: they add answers and refused messages people typed
    built = 0
    for row in rows:
        if row.invitation is not None or row.addressee is not None:
            continue
        for person in (row.recipient, row.subscriber, row.list_subscriber):
            if person is not None:
                person.language = language
        message = emails.build(row, Loaded([row]))
        assert message is not None, row.kind
        built += 1
        html = message.alternatives[0][0]
        direction = "rtl" if language in RTL else "ltr"
        assert f'<html lang="{language}" dir="{direction}">' in html, row.kind
        text = without(str(message.subject) + "\n" + message.body, typed)
        found = german_in(text, language) + german_in(visible_text(html, language, typed), language)
        if found:
            failures[row.kind] = sorted(set(found))
    for user in world.users.values():
        if user is not None:
            user.refresh_from_db(fields=["language"])
    assert built >= 20, built
    assert not failures, "\n".join(f"{k}: {v}" for k, v in failures.items())
