"""The confirmation pages and the panel, through the test client."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from statements.states import State
from tests.factories import make_statement
from voting.selectors import voting_deadline
from workflow.forms import DATETIME_LOCAL
from workflow.models import AuditEntry

pytestmark = pytest.mark.django_db


def url(statement, name):
    return reverse("workflow:transition", kwargs={"slug": statement.slug, "name": name})


def local(dt):
    return timezone.localtime(dt).strftime(DATETIME_LOCAL)


def state_of(statement):
    statement.refresh_from_db()
    return statement.state


def test_author_submits_with_own_deadline(client_for, draft, author):
    client = client_for(author)
    page = client.get(url(draft, "submit"))
    assert page.status_code == 200
    assert b'type="datetime-local"' in page.content
    ends = timezone.now() + timedelta(days=10)
    response = client.post(
        url(draft, "submit"),
        {"expected_state": "draft", "note": "", "consultation_ends_at": local(ends)},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == State.CONSULTATION
    assert draft.consultation_ends_at == ends.replace(second=0, microsecond=0)


def test_deadline_in_past_is_a_form_error(client_for, draft, author):
    past = local(timezone.now() - timedelta(days=1))
    response = client_for(author).post(
        url(draft, "submit"), {"expected_state": "draft", "consultation_ends_at": past}
    )
    assert response.status_code == 400
    assert past.encode() in response.content  # the input is kept
    assert "Die Frist muss in der Zukunft liegen" in response.content.decode()
    assert state_of(draft) == State.DRAFT


def test_missing_note_is_400_and_keeps_input(client_for, in_consultation, author):
    response = client_for(author).post(
        url(in_consultation, "withdraw"), {"expected_state": "consultation", "note": "  "}
    )
    assert response.status_code == 400
    assert "Begründung" in response.content.decode()
    assert state_of(in_consultation) == State.CONSULTATION
    assert not AuditEntry.objects.filter(transition="withdraw").exists()


def test_wrong_state_is_409(client_for, draft, coordinator):
    client = client_for(coordinator)
    for method in (client.get, client.post):
        response = method(url(draft, "publish"), {"expected_state": "draft"})
        assert response.status_code == 409
        assert "im aktuellen Status" in response.content.decode()
    assert state_of(draft) == State.DRAFT


def test_wrong_person_is_403(client_for, draft, member):
    # A plain member may read the paper once it is in consultation but may not act on it.
    statement = make_statement(state="consultation")
    client = client_for(member)
    for method in (client.get, client.post):
        response = method(
            url(statement, "withdraw"), {"expected_state": "consultation", "note": "x"}
        )
        assert response.status_code == 403
        assert "nicht ausführen" in response.content.decode()
    assert state_of(statement) == State.CONSULTATION


@pytest.mark.parametrize("who", ["anonymous", "registered", "suspended", "member"])
def test_draft_is_invisible_to_outsiders(client_for, draft, who, request):
    user = None if who == "anonymous" else request.getfixturevalue(who)
    response = client_for(user).post(url(draft, "submit"), {"expected_state": "draft"})
    if who == "anonymous":
        assert response.status_code == 302 and "/login" in response["Location"]
    elif who == "member":
        assert response.status_code == 404
    else:
        assert response.status_code == 403  # not a member at all
    assert state_of(draft) == State.DRAFT


def test_unknown_transition_is_404(client_for, draft, author):
    assert client_for(author).get(url(draft, "explode")).status_code == 404


def test_wrong_method_is_405(client_for, draft, author):
    assert client_for(author).put(url(draft, "submit")).status_code == 405
    assert client_for(author).delete(url(draft, "submit")).status_code == 405
    assert state_of(draft) == State.DRAFT


def test_get_changes_nothing(client_for, coordinator):
    statement = make_statement(state="accepted")
    client = client_for(coordinator)
    for name in ("publish", "retract", "withdraw", "close_vote"):
        client.get(url(statement, name))
    assert state_of(statement) == State.ACCEPTED
    assert AuditEntry.objects.filter(statement=statement).count() == 3


def test_double_submission_says_already_done(client_for, coordinator):
    statement = make_statement(state="accepted")
    client = client_for(coordinator)
    data = {"expected_state": "accepted", "when": "now", "note": ""}
    assert client.post(url(statement, "publish"), data).status_code == 302
    second = client.post(url(statement, "publish"), data)
    assert second.status_code == 409
    assert "Bereits erledigt" in second.content.decode()
    assert AuditEntry.objects.filter(statement=statement, transition="publish").count() == 1


def test_publish_scheduled(client_for, coordinator):
    statement = make_statement(state="accepted")
    when = timezone.now() + timedelta(days=2)
    response = client_for(coordinator).post(
        url(statement, "publish"),
        {"expected_state": "accepted", "when": "scheduled", "publish_at": local(when)},
    )
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.state == State.ACCEPTED
    assert statement.publish_at == when.replace(second=0, microsecond=0)


def test_publish_scheduled_without_time_is_400(client_for, coordinator):
    statement = make_statement(state="accepted")
    response = client_for(coordinator).post(
        url(statement, "publish"), {"expected_state": "accepted", "when": "scheduled"}
    )
    assert response.status_code == 400
    assert state_of(statement) == State.ACCEPTED


def test_open_vote_with_voting_deadline(client_for, in_consultation, coordinator):
    page = client_for(coordinator).get(url(in_consultation, "open_vote"))
    assert page.status_code == 200
    ends = timezone.now() + timedelta(days=4)
    data = {"expected_state": "consultation", "voting_ends_at": local(ends)}
    # The voting app's options form (if present) brings its own initial values.
    form = page.context.get("ballot_form")
    if form is not None:
        for field in form:
            value = field.value()
            if value is not None:
                data[field.html_name] = value
    response = client_for(coordinator).post(url(in_consultation, "open_vote"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    in_consultation.refresh_from_db()
    assert in_consultation.state == State.VOTING
    assert voting_deadline(in_consultation) == ends.replace(second=0, microsecond=0)


def test_urgent_mark_and_unmark(client_for, in_consultation, coordinator, author):
    target = reverse("workflow:urgent", kwargs={"slug": in_consultation.slug})
    assert client_for(author).post(target, {"reason": "Eilig"}).status_code == 403
    assert client_for(coordinator).post(target, {"reason": ""}).status_code == 400
    assert client_for(coordinator).get(target).status_code == 405
    response = client_for(coordinator).post(target, {"reason": "Kreistag tagt Freitag"})
    assert response.status_code == 302
    in_consultation.refresh_from_db()
    assert in_consultation.is_urgent
    assert client_for(coordinator).post(target, {"reason": "nochmal"}).status_code == 409
    assert client_for(coordinator).post(target, {"action": "unmark"}).status_code == 302
    in_consultation.refresh_from_db()
    assert not in_consultation.is_urgent


def test_panel_shows_state_deadline_timeline_and_actions(client_for, in_consultation, author):
    response = client_for(author).get(in_consultation.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Konsultation endet" in html
    assert "in 14 Tagen" in html  # calendar days: never "in 13" for a 14-day deadline
    assert "in die Konsultation gegeben" in html
    assert url(in_consultation, "withdraw") in html
    assert url(in_consultation, "back_to_draft") in html
    # The author may open the vote only after the consultation: no link yet.
    assert url(in_consultation, "open_vote") not in html


def test_panel_for_plain_member_offers_no_actions(client_for, in_consultation, member):
    html = client_for(member).get(in_consultation.get_absolute_url()).content.decode()
    assert "Protokoll" in html
    assert "/transition/" not in html


def test_panel_names_system_and_former_members(client_for, coordinator):
    statement = make_statement(state="published")
    AuditEntry.objects.create(
        statement=statement,
        transition="retract",
        from_state="published",
        to_state="retracted",
        actor=None,
        is_system=False,
        note="Test",
    )
    AuditEntry.objects.create(
        statement=statement,
        transition="publish",
        from_state="accepted",
        to_state="published",
        actor=None,
        is_system=True,
    )
    html = client_for(coordinator).get(statement.get_absolute_url()).content.decode()
    assert "ehemaliges Mitglied" in html
    assert "System" in html


def test_urgent_notice_is_prominent(client_for, in_consultation, coordinator, member):
    from workflow.services import statement_mark_urgent

    statement_mark_urgent(statement_id=in_consultation.pk, actor=coordinator, reason="Anhörung")
    html = client_for(member).get(in_consultation.get_absolute_url()).content.decode()
    assert 'class="urgent"' in html and "Eilverfahren" in html and "Anhörung" in html


def test_panel_in_english(client_for, in_consultation, author):
    client = client_for(author)
    client.cookies["django_language"] = "en"
    html = client.get(in_consultation.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content
    assert b"Consultation ends" in html
    assert b"in 13 days" in html or b"in 14 days" in html
    assert b"Start consultation" not in html  # already submitted
    assert b"Withdraw" in html


def test_relative_time_in_both_languages():
    from django.utils import translation

    from workflow.selectors import relative_time

    # Noon: "in 3 days and 2 hours" lands on the third calendar day from here.
    now = timezone.make_aware(datetime(2026, 12, 7, 12, 0))
    with translation.override("de"):
        assert relative_time(now + timedelta(days=3, hours=2), now) == "in 3 Tagen"
        assert relative_time(now + timedelta(days=1), now) == "in 1 Tag"
        assert relative_time(now + timedelta(hours=5), now) == "in 5 Stunden"
        assert relative_time(now - timedelta(days=2), now) == "vor 2 Tagen"
        assert relative_time(now + timedelta(seconds=20), now) == "jetzt"
    with translation.override("en"):
        assert relative_time(now + timedelta(days=3, hours=2), now) == "in 3 days"
        assert relative_time(now - timedelta(minutes=1), now) == "1 minute ago"


def test_post_without_expected_state_is_400(client_for, draft, author):
    response = client_for(author).post(url(draft, "submit"), {})
    assert response.status_code == 400
    assert "unvollständig" in response.content.decode()
    assert state_of(draft) == State.DRAFT


def test_timeline_shows_scheduled_publication_time(client_for, author, coordinator):
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from django.utils import timezone
    from django.utils.formats import date_format

    from workflow.services import statement_schedule_publication

    statement = make_statement(author=author, state="accepted")
    when = (timezone.now() + timedelta(days=40)).replace(hour=18, minute=30, second=0)
    statement_schedule_publication(statement_id=statement.pk, actor=coordinator, publish_at=when)
    html = client_for(author).get(statement.get_absolute_url()).content.decode()
    assert "Veröffentlichung geplant" in html
    local = when.astimezone(ZoneInfo("Europe/Berlin"))
    assert f"für {date_format(local, 'DATETIME_FORMAT')}" in html


def test_already_done_shows_the_state_after_the_lock(client_for, coordinator, monkeypatch):
    """Issue 21: the page showed the state the view read before the service's lock (the
    one the person saw), not the one a concurrent click had just committed."""
    from statements.states import State as States
    from workflow import services

    statement = make_statement(state="accepted")
    real = services.statement_transition

    def other_click_first(**kwargs):
        # Another coordinator's publish commits between this view's read and its lock.
        real(statement_id=statement.pk, name="publish", actor=coordinator)
        return real(**kwargs)

    monkeypatch.setattr(services, "statement_transition", other_click_first)
    data = {"expected_state": "accepted", "when": "now", "note": ""}
    response = client_for(coordinator).post(url(statement, "publish"), data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Bereits erledigt" in page
    assert str(States.PUBLISHED.label) in page
    assert str(States.ACCEPTED.label) not in page.split("Bereits erledigt", 1)[1]
