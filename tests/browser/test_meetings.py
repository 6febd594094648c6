"""Meetings in a real browser: the coordinator plans a meeting, a member answers without
JavaScript, the visitor finds the next meeting on the home page; every new page is
axe-clean at 1280 and 360 px in both languages. Screenshots: var/screenshots/issue17/."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from discussion.forms import block_label
from meetings import services
from meetings.models import Meeting, Rsvp
from statements.markdown import blocks
from tests.browser.conftest import DESKTOP, PHONE, SCREENSHOTS
from tests.factories import UserFactory, make_statement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = SCREENSHOTS / "issue17"


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_coordinator_plans_member_answers_visitor_sees_it(pages, check_a11y):
    coordinator = UserFactory(display_name="Kora Koordination", is_coordinator=True)
    member = UserFactory(display_name="Mia Mitglied")
    make_statement(state="voting", title="Bezahlkarte: Bargeldgrenze aufheben")

    page = pages.new(user=coordinator)
    page.goto("/coordination/places/")
    page.get_by_label("Name des Ortes").fill("Kulturhaus Grimma")
    page.get_by_label("Gemeinde").fill("Grimma")
    page.get_by_label("Adresse").fill("Leipziger Straße 10")
    page.get_by_label("Anreise mit Bus und Bahn").fill("RB 110 bis Grimma ob Bf")
    page.get_by_label("Stufenloser Zugang").check()
    page.get_by_role("button", name="Anlegen").click()
    assert "Der Ort wurde gespeichert." in page.content()
    shot(page, "01-places")

    day = timezone.localdate() + dt.timedelta(days=12)
    page.goto("/coordination/meetings/")
    page.get_by_label("Datum").fill(day.isoformat())
    page.get_by_label("Beginn (Uhrzeit in Deutschland)").fill("17:00")
    page.get_by_label(re.compile(r"^Ort:?$")).select_option(label="Kulturhaus Grimma, Grimma")
    page.get_by_role("button", name="Planen").click()
    meeting = Meeting.objects.get()
    assert timezone.localtime(meeting.starts_at).hour == 17
    assert page.get_by_role("heading", level=1).inner_text() == "Monatstreffen des RTM"
    shot(page, "02-meeting-planned")

    page.goto(f"/coordination/meetings/{meeting.pk}/agenda/")
    page.get_by_role("button", name="Entwurf aus der Arbeit erstellen").click()
    assert "Bezahlkarte: Bargeldgrenze aufheben" in page.content()
    shot(page, "03-agenda")

    # The member answers with JavaScript off: a plain form.
    member_page = pages.new(user=member, javascript=False)
    member_page.goto(meeting.get_absolute_url())
    member_page.get_by_label("Ich komme", exact=True).check()
    member_page.get_by_role("button", name="Antwort speichern").click()
    assert "Ihre Antwort wurde gespeichert." in member_page.content()
    assert Rsvp.objects.get(meeting=meeting, user=member).answer == "yes"
    shot(member_page, "04-member-rsvp")

    visitor = pages.new(viewport=PHONE)
    visitor.goto("/")
    next_meeting = visitor.locator(".next-meeting")
    assert "Kulturhaus Grimma" in next_meeting.inner_text()
    assert "Gäste sind willkommen." in next_meeting.inner_text()
    check_a11y(visitor, "home with next meeting [360px]")
    shot(visitor, "05-visitor-home-360")
    visitor.get_by_role("link", name=re.compile("Alle Treffen")).click()
    assert visitor.get_by_role("heading", level=1).inner_text() == "Treffen des RTM"
    shot(visitor, "06-visitor-meetings-360")


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_meeting_pages_have_no_wcag_violations(pages, check_a11y, language, viewport):
    coordinator = UserFactory(is_coordinator=True)
    place = services.place_save(
        actor=coordinator,
        fields=services.PlaceFields(
            name="Bürgerhaus Borna", town="Borna", address="Markt 1", transit="S6"
        ),
    )
    meeting = services.meeting_plan(
        actor=coordinator,
        fields=services.MeetingFields(
            starts_at=timezone.now() + dt.timedelta(days=5), minutes=120, place_id=place.pk
        ),
    )
    statement = make_statement(state="voting", title="Wohnsitzauflage")
    services.agenda_draft(actor=coordinator, meeting_id=meeting.pk)
    minutes = services.minutes_draft(actor=coordinator, meeting_id=meeting.pk)
    services.minutes_save(
        actor=coordinator, minutes_id=minutes.pk,
        body=minutes.current_revision.body + "\n\nNachtrag.", public_body="Öffentlich.",
        base_revision_id=minutes.current_revision_id,
    )  # fmt: skip
    services.minutes_circulate(actor=coordinator, minutes_id=minutes.pk)
    member = UserFactory(display_name="Mia Mitglied")
    services.minutes_remark(user=member, minutes_id=minutes.pk, text="Anmerkung.", kind="comment")
    services.minutes_object(user=member, minutes_id=minutes.pk, text="Einspruch.")
    width = viewport["width"]
    page = pages.new(user=coordinator, viewport=viewport, language=language)
    urls = [
        "/meetings/",
        meeting.get_absolute_url(),
        "/meetings/my-calendar/",
        "/coordination/meetings/",
        "/coordination/meetings/series/",
        "/coordination/places/",
        f"/coordination/places/{place.pk}/edit/",
        f"/coordination/meetings/{meeting.pk}/edit/",
        f"/coordination/meetings/{meeting.pk}/cancel/",
        f"/coordination/meetings/{meeting.pk}/attendance/",
        f"/coordination/meetings/{meeting.pk}/agenda/",
        f"/coordination/meetings/{meeting.pk}/decide/{statement.pk}/",
        f"/meetings/{meeting.pk}/minutes/",
        f"/meetings/{meeting.pk}/minutes/revisions/",
        f"/meetings/{meeting.pk}/minutes/revisions/2/",
        f"/coordination/meetings/{meeting.pk}/minutes/edit/",
        statement.get_absolute_url(),
    ]
    for url in urls:
        response = page.goto(url)
        assert response.status == 200, url
        check_a11y(page, f"{url} [{language}, {width}px]")
    shot(page, f"decide-{language}-{width}")
    visitor = pages.new(viewport=viewport, language=language)
    for url in ("/", "/meetings/", meeting.get_absolute_url()):
        visitor.goto(url)
        check_a11y(visitor, f"{url} as visitor [{language}, {width}px]")
    shot(visitor, f"meeting-visitor-{language}-{width}")


def test_show_of_hands_accepts_the_paper_and_minutes_are_objected_then_approved(pages, check_a11y):
    """The rest of the issue's journey: the agenda shows the paper in voting, the
    coordinator checks in who is present and records the show of hands, the paper is
    accepted; the minutes are drafted, objected to once and approved."""
    coordinator = UserFactory(display_name="Kora Koordination", is_coordinator=True)
    member = UserFactory(display_name="Mia Mitglied")
    others = [UserFactory(display_name=f"Mitglied {i}") for i in range(3)]
    paper = make_statement(state="voting", title="Dolmetschpool für Behördengänge")
    place = services.place_save(
        actor=coordinator,
        fields=services.PlaceFields(name="Rathaus Naunhof", town="Naunhof", address="Markt 1"),
    )
    meeting = services.meeting_plan(
        actor=coordinator,
        fields=services.MeetingFields(
            starts_at=timezone.now() - dt.timedelta(minutes=30), minutes=120, place_id=place.pk
        ),
    )
    page = pages.new(user=coordinator)
    page.goto(f"/coordination/meetings/{meeting.pk}/agenda/")
    page.get_by_role("button", name="Entwurf aus der Arbeit erstellen").click()
    assert "Dolmetschpool für Behördengänge" in page.content()

    page.goto(f"/coordination/meetings/{meeting.pk}/attendance/")
    for person in [member, *others]:
        page.get_by_label(person.display_name).check()
    page.get_by_label("Gäste (Anzahl)").fill("2")
    page.get_by_role("button", name="Anwesenheit speichern").click()
    assert "4 Mitglieder anwesend" in page.content()
    shot(page, "07-attendance")

    page.goto(f"/coordination/meetings/{meeting.pk}/agenda/")
    page.get_by_role("link", name=re.compile("Handzeichen erfassen")).click()
    page.get_by_label(re.compile(r"^Ja:?$")).fill("3")
    page.get_by_label("Enthaltungen").fill("1")
    check_a11y(page, "decide")
    shot(page, "08-show-of-hands")
    page.get_by_role("button", name="Ergebnis festhalten").click()
    assert "Die Entscheidung wurde festgehalten." in page.content()
    paper.refresh_from_db()
    assert paper.state == "accepted"

    page.get_by_role("button", name="Protokoll entwerfen").click()
    body = page.get_by_label("Protokoll (Markdown, für Mitglieder)")
    assert "Entscheidung im Treffen über Fassung 1" in body.input_value()
    # The papers' editor: the toolbar writes Markdown, the preview beside it follows.
    toolbar = page.get_by_role("toolbar", name="Formatierung").first
    toolbar.wait_for(state="visible")  # shown by static/js/editor.js
    body.focus()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    toolbar.get_by_role("button", name="Fett").click()
    page.keyboard.type("Nächstes Treffen in Wurzen")
    assert "**Nächstes Treffen in Wurzen**" in body.input_value()
    preview = page.locator("#live-preview")
    preview.locator("strong", has_text="Nächstes Treffen in Wurzen").wait_for()
    assert preview.get_by_role("link", name="Zur Stellungnahme").count() == 1
    check_a11y(page, "minutes editor")
    shot(page, "09a-minutes-editor")
    page.get_by_role("button", name="Speichern", exact=True).click()
    page.get_by_label("Einspruchsfrist in Tagen").fill("7")
    page.get_by_role("button", name="An alle Mitglieder versenden").click()
    check_a11y(page, "minutes as coordinator")
    shot(page, "09-minutes-circulated")

    # A member objects to one paragraph, without JavaScript.
    minutes = meeting.minutes
    minutes.refresh_from_db()
    guests = next(b for b in blocks(minutes.current_revision.body) if b.source.startswith("Gäste"))
    member_page = pages.new(user=member, javascript=False)
    member_page.goto(f"/meetings/{meeting.pk}/minutes/")
    member_page.get_by_label("Einspruch", exact=True).check()
    member_page.get_by_label("Bezieht sich auf").select_option(label=block_label(guests))
    member_page.get_by_label("Ihr Text").fill("Bitte die Gäste aus Naunhof nennen.")
    member_page.get_by_role("button", name="Absenden").click()
    assert "Ihr Einspruch ist eingegangen." in member_page.content()
    shot(member_page, "10-minutes-objection")

    # The coordinator sees the objection on its paragraph, answers it in a new revision,
    # and the next meeting approves the minutes.
    page.reload()
    assert "Bitte die Gäste aus Naunhof nennen." in page.content()
    assert "1 Einspruch liegt vor" in page.content()
    check_a11y(page, "minutes with an objection")
    page.get_by_role("link", name="Zum Absatz").click()
    page.get_by_role("link", name="Protokoll bearbeiten").click()
    body = page.get_by_label("Protokoll (Markdown, für Mitglieder)")
    body.fill(body.input_value().replace(guests.source, "Gäste: 2 aus dem Naunhofer Bündnis"))
    page.get_by_role("button", name="Speichern", exact=True).click()
    assert "Das Protokoll wurde gespeichert." in page.content()
    page.get_by_role("link", name="3 Fassungen").click()
    page.get_by_role("link", name="Änderungen von Fassung 2 zu 3").click()
    assert page.locator("ins", has_text="Naunhofer").count() >= 1
    check_a11y(page, "minutes revision diff")
    page.goto(f"/meetings/{meeting.pk}/minutes/")
    page.get_by_role("button", name="Als genehmigt festhalten").click()
    assert "Das Protokoll ist genehmigt." in page.content()
    shot(page, "11-minutes-approved")

    # The paper's timeline links back to the meeting that decided it.
    page.goto(paper.get_absolute_url())
    fold = page.locator("details.fold-workflow")
    if fold.get_attribute("open") is None:
        fold.locator("summary").click()
    timeline = page.locator(".workflow-timeline")
    assert "Im Treffen entschieden" in timeline.inner_text()
    timeline.get_by_role("link", name=re.compile("Naunhof")).first.click()
    assert page.url.endswith(meeting.get_absolute_url())
