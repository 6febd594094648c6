"""Reports, the coordination's queue, hiding with a reason, unhiding."""

from __future__ import annotations

from django.urls import reverse

from discussion.models import Report
from discussion.services import comment_hide
from tests.discussion.conftest import comment_on


def test_report_hide_unhide_journey(in_consultation, member, author, coordinator, client_for):
    comment = comment_on(in_consultation, member, "Ein grenzwertiger Satz")
    report_url = reverse("discussion:comment_report", args=[comment.pk])
    assert client_for(author).post(report_url, {"reason": "Herabsetzend"}).status_code == 302
    assert client_for(author).post(report_url, {"reason": "nochmal"}).status_code == 302
    assert Report.objects.filter(handled=False).count() == 1

    queue = client_for(coordinator).get(reverse("discussion:report_queue")).content.decode()
    assert "Ein grenzwertiger Satz" in queue and "Herabsetzend" in queue

    response = client_for(coordinator).post(
        reverse("discussion:comment_hide", args=[comment.pk]),
        {"reason": "Verstößt gegen unsere Regeln", "next": reverse("discussion:report_queue")},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("discussion:report_queue")
    assert not Report.objects.filter(handled=False).exists()

    others = client_for(author).get(in_consultation.get_absolute_url()).content.decode()
    assert "Ein grenzwertiger Satz" not in others
    assert "von der Koordination ausgeblendet" in others
    assert "Verstößt gegen unsere Regeln" not in others

    own = client_for(member).get(in_consultation.get_absolute_url()).content.decode()
    assert "Ein grenzwertiger Satz" in own and "Verstößt gegen unsere Regeln" in own

    coord = client_for(coordinator).get(in_consultation.get_absolute_url()).content.decode()
    assert "Ein grenzwertiger Satz" in coord and "Wieder einblenden" in coord

    # Hidden text is not reachable elsewhere either.
    history = reverse("discussion:comment_history", args=[comment.pk])
    assert client_for(author).get(history).status_code == 404
    assert client_for(author).post(report_url, {"reason": "x"}).status_code == 404

    unhide = reverse("discussion:comment_unhide", args=[comment.pk])
    assert client_for(coordinator).post(unhide).status_code == 302
    others = client_for(author).get(in_consultation.get_absolute_url()).content.decode()
    assert "Ein grenzwertiger Satz" in others


def test_you_cannot_report_yourself(in_consultation, member, client_for):
    comment = comment_on(in_consultation, member)
    url = reverse("discussion:comment_report", args=[comment.pk])
    assert client_for(member).post(url, {"reason": "x"}).status_code == 403


def test_report_and_hide_need_a_reason(in_consultation, member, author, coordinator, client_for):
    comment = comment_on(in_consultation, member)
    report = reverse("discussion:comment_report", args=[comment.pk])
    hide = reverse("discussion:comment_hide", args=[comment.pk])
    assert client_for(author).post(report, {"reason": ""}).status_code == 400
    assert client_for(coordinator).post(hide, {"reason": ""}).status_code == 400
    comment.refresh_from_db()
    assert not comment.is_hidden and not Report.objects.exists()


def test_hidden_reply_and_hidden_thread(in_consultation, member, author, client_for):
    from discussion.services import comment_reply
    from tests.factories import UserFactory

    root = comment_on(in_consultation, member, "Wurzel")
    reply = comment_reply(parent=root, author=author, body="Versteckte Antwort")
    coordinator = UserFactory(display_name="Zweite Koordination", is_coordinator=True)
    comment_hide(comment=reply, actor=coordinator, reason="Persönliche Daten")
    comment_hide(comment=root, actor=coordinator, reason="Persönliche Daten")
    html = client_for(UserFactory()).get(in_consultation.get_absolute_url()).content.decode()
    assert "Wurzel" not in html and "Versteckte Antwort" not in html
    # Nobody replies to a hidden thread.
    url = reverse("discussion:comment_reply", args=[root.pk])
    assert client_for(author).post(url, {"body": "x"}).status_code == 404


def test_coordinators_see_open_reports_on_the_page(
    in_consultation, member, author, coordinator, client_for
):
    comment = comment_on(in_consultation, member)
    Report.objects.create(comment=comment, reporter=author, reason="x")
    html = client_for(coordinator).get(in_consultation.get_absolute_url()).content.decode()
    assert "1 offene Meldung" in html and reverse("discussion:report_queue") in html
    html = client_for(author).get(in_consultation.get_absolute_url()).content.decode()
    assert "offene Meldung" not in html


def test_report_queue_keeps_the_coordination_navigation(coordinator, client_for):
    """Reached from the coordination menu, the queue must lead back to the other tasks."""
    page = client_for(coordinator).get(reverse("discussion:report_queue")).content.decode()
    assert f'href="{reverse("accounts:admission_queue")}"' in page
    assert f'href="{reverse("discussion:report_queue")}" aria-current="page"' in page
