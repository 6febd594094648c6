"""Funding hints: structured fields, the board by deadline, expired ones archived,
reminders N days before the deadline to those who switched them on (once)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from maillist import services
from maillist.models import PostType
from notifications import services as outbox
from notifications.models import Channel, Kind, Mode, Notification, Preference
from rtm_workflow.celery import app as celery_app

pytestmark = pytest.mark.django_db

TODAY = date(2027, 3, 1)


def hint(author, title, deadline, **kw):
    data = {
        "post_type": PostType.FUNDING,
        "title": title,
        "body": "Beschreibung",
        "is_public": True,
        "funder": "Stiftung Beispiel",
        "programme": "Teilhabe vor Ort",
        "eligible": "Vereine",
        "amount": "bis 3.000 €",
        "deadline": deadline,
        "link": "https://example.org/programm",
    }
    data.update(kw)
    return services.post_create(author=author, **data)


def test_the_board_sorts_by_deadline_and_archives_expired_hints(member, client, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: TODAY)
    hint(member, "Später", TODAY + timedelta(days=30))
    hint(member, "Bald", TODAY + timedelta(days=3))
    hint(member, "Vorbei", TODAY - timedelta(days=1))
    hint(member, "Intern bald", TODAY + timedelta(days=1), is_public=False)
    page = client.get(reverse("maillist:funding")).text
    open_part, expired_part = page.split("Abgelaufen", 1)
    assert open_part.index("Bald") < open_part.index("Später")
    assert "Vorbei" not in open_part and "Vorbei" in expired_part
    assert "Intern bald" not in page  # members-only: not for visitors
    assert "Stiftung Beispiel" in open_part and "bis 3.000 €" in open_part


def test_reminders_go_once_to_who_switched_them_on(
    member, author, coordinator, mailoutbox, settings
):
    settings.RTM_FUNDING_REMINDER_DAYS = 5
    Preference.objects.create(user=author, kind=Kind.FUNDING_REMINDER, mode=Mode.IMMEDIATELY)
    due = hint(member, "Fällig", TODAY + timedelta(days=5))
    hint(member, "Noch nicht", TODAY + timedelta(days=6))
    hint(member, "Vorbei", TODAY - timedelta(days=1))
    outbox.outbox_deliver()
    mailoutbox.clear()
    assert services.funding_reminders_send(today=TODAY) == 1
    assert services.funding_reminders_send(today=TODAY) == 0  # idempotent
    assert services.funding_reminders_send(today=TODAY + timedelta(days=1)) == 1  # the next one
    rows = Notification.objects.filter(kind=Kind.FUNDING_REMINDER, channel=Channel.EMAIL)
    assert {r.recipient_id for r in rows if r.context["post_id"] == due.pk} == {author.pk}
    outbox.outbox_deliver()
    subjects = [m.subject for m in mailoutbox if m.to == [author.email]]
    assert any("Fällig" in s and "6. März 2027" in s for s in subjects)
    assert not [m for m in mailoutbox if m.to == [coordinator.email]]


def test_the_reminder_is_a_beat_task():
    schedule = celery_app.conf.beat_schedule
    assert any(e["task"] == "maillist.tasks.send_funding_reminders" for e in schedule.values())


def test_a_funding_hint_without_deadline_is_refused_in_the_form(member, client_for):
    response = client_for(member).post(
        reverse("maillist:post_new"),
        {"post_type": "funding", "title": "X", "body": "Y", "funder": "Z"},
    )
    assert response.status_code == 400 and "braucht eine Antragsfrist" in response.text
