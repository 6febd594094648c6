"""Issue 16, item 11, the rest: a 14-day deadline reads "in 14 Tagen", one date style
per language, the timeline without list numbers in front of its dates, subjects that do
not start with a space after folding, allauth's mails in our words with the site's name."""

from __future__ import annotations

import email
import email.policy
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.test import Client
from django.utils import translation
from django.utils.formats import date_format

from core.mail import with_folded_subject
from tests.accounts.conftest import sign_up
from workflow.selectors import relative_time

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize("hour", [0, 9, 23])
def test_a_fourteen_day_deadline_reads_fourteen_days_all_day(hour):
    set_at = datetime(2026, 12, 7, hour, 30, tzinfo=BERLIN)
    deadline = set_at + timedelta(days=14)
    with translation.override("de"):
        for later in (timedelta(seconds=1), timedelta(minutes=20)):
            assert relative_time(deadline, set_at + later) == "in 14 Tagen"
    with translation.override("en"):
        assert relative_time(deadline, set_at + timedelta(seconds=5)) == "in 14 days"


def test_days_are_calendar_days_in_berlin():
    late = datetime(2026, 12, 7, 23, 0, tzinfo=BERLIN)
    with translation.override("de"):
        assert relative_time(datetime(2026, 12, 8, 1, 0, tzinfo=BERLIN), late) == "in 2 Stunden"
        # 33 hours, but the day after tomorrow.
        assert relative_time(datetime(2026, 12, 9, 8, 0, tzinfo=BERLIN), late) == "in 2 Tagen"
        assert relative_time(datetime(2026, 12, 5, 8, 0, tzinfo=BERLIN), late) == "vor 2 Tagen"
    # Across the change to summer time (29 March 2027): still 14 calendar days.
    spring = datetime(2027, 3, 20, 12, 0, tzinfo=BERLIN)
    with translation.override("de"):
        assert relative_time(spring + timedelta(days=14), spring) == "in 14 Tagen"


def test_one_date_style_per_language():
    moment = datetime(2026, 12, 1, 14, 30, tzinfo=BERLIN)
    with translation.override("de"):
        assert date_format(moment, "DATE_FORMAT") == "1. Dezember 2026"
        assert date_format(moment, "DATETIME_FORMAT") == "1. Dezember 2026, 14:30"
        assert date_format(moment, "SHORT_DATE_FORMAT") == "01.12.2026"
    with translation.override("en"):
        assert date_format(moment, "DATE_FORMAT") == "1 December 2026"
        assert date_format(moment, "DATETIME_FORMAT") == "1 December 2026, 14:30"
        assert date_format(moment, "SHORT_DATE_FORMAT") == "1 Dec 2026"
        assert date_format(moment, "SHORT_DATETIME_FORMAT") == "1 Dec 2026, 14:30"


@pytest.mark.django_db
def test_the_timeline_is_not_a_numbered_list(client_for_author):
    client, paper = client_for_author
    html = client.get(paper.get_absolute_url()).content.decode()
    assert '<ul class="workflow-timeline">' in html
    assert '<ol class="workflow-timeline">' not in html


@pytest.fixture
def client_for_author(db):
    from tests.factories import UserFactory, make_statement

    author = UserFactory()
    paper = make_statement(author=author, state="consultation")
    client = Client()
    client.force_login(author)
    return client, paper


@pytest.mark.parametrize(
    "subject",
    [
        "[RTM] Konsultation eröffnet: Übergänge für Geflüchtete in Ausbildung und Arbeit im "
        "Landkreis Leipzig verbessern",
        "[RTM] Neuer Kommentar zu „Wohnraum für alle“",
        "[RTM] A plain ASCII subject long enough to be folded by the generator, certainly",
    ],
)
def test_a_folded_subject_does_not_start_with_a_space(subject):
    message = with_folded_subject(
        EmailMultiAlternatives(subject=subject, body="x", from_email="a@example.org", to=["b@x.de"])
    )
    raw = message.message().as_bytes(linesep="\r\n")
    assert b"Subject: \r\n" not in raw
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed["Subject"] == subject


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "says", "not_says"),
    [
        ("de", "Mit dieser E-Mail-Adresse wurde ein Konto bei RTM Positionen angelegt", "Benutzer"),
        ("en", "An account at RTM Positionen was created with this e-mail address", "user "),
    ],
)
def test_the_sign_up_mail_names_the_site_not_the_host(settings, language, says, not_says):
    settings.SITE_URL = "http://127.0.0.1:8000"
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    sign_up(client, f"nora-{language}@example.org", language=language)
    sent = mail.outbox[-1]
    assert says in sent.body
    assert not_says not in sent.body
    assert "bei 127.0.0.1:8000" not in sent.body and "on 127.0.0.1:8000" not in sent.body
    assert sent.subject == sent.subject.strip() and "\n" not in sent.subject
    raw = sent.message().as_bytes()
    assert b"Subject: \n" not in raw and b"Subject: \r\n" not in raw
