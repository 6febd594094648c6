"""Minutes in the papers' Markdown editor (toolbar, live preview, autosave), members'
comments and objections on single paragraphs, the revision history, and the paper's
timeline linking back to the meeting that had it on the agenda or decided it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import MinutesAutosave, MinutesObjection, MinutesStatus, RemarkKind
from statements.markdown import blocks
from tests.factories import UserFactory, make_statement
from tests.meetings.conftest import plan
from voting.models import Ballot
from voting.rules import Counts
from workflow.services import statement_transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(coordinator, author, place):
    """A held public meeting: three members present, a paper decided by a show of hands,
    the minutes drafted."""
    meeting = plan(coordinator, place, days=0)
    people = [UserFactory(display_name=f"Anwesende {i}") for i in range(3)]
    services.attendance_record(
        actor=coordinator,
        meeting_id=meeting.pk,
        check_in=services.CheckIn(user_ids=tuple(p.pk for p in people)),
    )
    paper = make_statement(author=author, state="voting", title="Dolmetschpool")
    Ballot.objects.filter(statement=paper).update(quorum_kind="none")
    services.agenda_draft(actor=coordinator, meeting_id=meeting.pk)
    services.room_decision_record(
        actor=coordinator, meeting_id=meeting.pk, statement_id=paper.pk, counts=Counts(yes=3)
    )
    minutes = services.minutes_draft(actor=coordinator, meeting_id=meeting.pk)
    return meeting, paper, minutes


def _paragraph(minutes, starting: str):
    return next(b for b in blocks(minutes.current_revision.body) if b.source.startswith(starting))


# --- the editor -------------------------------------------------------------------------------


def test_editor_has_the_papers_toolbar_preview_and_autosave(client_for, coordinator, decided):
    meeting, _paper, _minutes = decided
    page = client_for(coordinator).get(reverse("meetings:minutes_edit", args=[meeting.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('role="toolbar"') == 2  # the members' text and the public part
    assert html.count("js/editor.js") == 1  # one script for both toolbars
    assert f'hx-post="{reverse("meetings:minutes_preview", args=[meeting.pk])}"' in html
    autosave = reverse("meetings:minutes_autosave", args=[meeting.pk])
    assert f'data-autosave-url="{autosave}"' in html
    assert 'data-autosave-fields="body public_body base_revision"' in html
    # Minutes written in Arabic or Persian run right to left as typed, as in the papers'
    # editor (the shared statements/_editor_body.html).
    assert re.search(r'<textarea name="body" [^>]*dir="auto"', html)
    assert re.search(r'<textarea name="public_body" [^>]*dir="auto"', html)
    assert 'id="live-preview" class="prose" dir="auto"' in html


def test_live_preview_renders_and_the_plain_preview_saves_nothing(
    client_for, coordinator, member, decided
):
    meeting, _paper, minutes = decided
    coord = client_for(coordinator)
    url = reverse("meetings:minutes_preview", args=[meeting.pk])
    response = coord.post(url, {"body": "## Punkt\n\n**fett** <script>x</script>"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>fett</strong>" in html and "<script>" not in html
    assert client_for(member).post(url, {"body": "x"}).status_code == 403
    # Without JavaScript: the "Vorschau" button shows the page again, text kept, no revision.
    edit = reverse("meetings:minutes_edit", args=[meeting.pk])
    page = coord.post(
        edit,
        {"body": "Neuer *Entwurf*", "public_body": "", "preview": "1",
         "base_revision": minutes.current_revision_id},
    )  # fmt: skip
    assert page.status_code == 200
    assert "Neuer *Entwurf*" in page.content.decode()
    assert "<em>Entwurf</em>" in page.content.decode()
    assert minutes.revisions.count() == 1


def test_autosave_is_offered_back_restored_and_cleared_by_a_save(client_for, coordinator, decided):
    meeting, _paper, minutes = decided
    coord = client_for(coordinator)
    first = minutes.current_revision
    autosave = reverse("meetings:minutes_autosave", args=[meeting.pk])
    response = coord.post(
        autosave,
        {"body": first.body + "\nNachtrag aus dem Zug.", "public_body": "Kurz.",
         "base_revision": first.pk},
    )  # fmt: skip
    assert response.status_code == 204
    assert minutes.revisions.count() == 1  # never a revision
    edit = reverse("meetings:minutes_edit", args=[meeting.pk])
    offer = coord.get(edit).content.decode()
    assert "wiederherstellen?" in offer and "Nachtrag aus dem Zug." not in offer
    restored = coord.get(edit + "?autosave=restore").content.decode()
    assert "Nachtrag aus dem Zug." in restored
    coord.post(
        edit,
        {"body": first.body + "\nNachtrag aus dem Zug.", "public_body": "Kurz.",
         "base_revision": first.pk},
    )  # fmt: skip
    assert minutes.revisions.count() == 2
    assert not MinutesAutosave.objects.exists()
    assert "wiederherstellen?" not in coord.get(edit).content.decode()


def test_autosave_discard_and_refusals(client_for, coordinator, member, decided):
    meeting, _paper, minutes = decided
    autosave = reverse("meetings:minutes_autosave", args=[meeting.pk])
    assert client_for(member).post(autosave, {"body": "x"}).status_code == 403
    coord = client_for(coordinator)
    assert coord.post(autosave, {"body": "x", "base_revision": "kaputt"}).status_code == 400
    assert coord.post(autosave, {"body": "Zwischenstand"}).status_code == 204
    coord.post(reverse("meetings:minutes_autosave_discard", args=[meeting.pk]))
    assert not MinutesAutosave.objects.exists()
    services.minutes_circulate(actor=coordinator, minutes_id=minutes.pk)
    services.minutes_approve(actor=coordinator, minutes_id=minutes.pk)
    assert coord.post(autosave, {"body": "zu spät"}).status_code == 400


# --- comments and objections -------------------------------------------------------------------


def test_member_comments_on_a_paragraph_of_the_draft_but_cannot_object_yet(
    client_for, member, decided
):
    meeting, _paper, minutes = decided
    remark = reverse("meetings:minutes_remark", args=[meeting.pk])
    paragraph = _paragraph(minutes, "Vertretene Organisationen")
    client = client_for(member)
    page = client.get(reverse("meetings:minutes", args=[meeting.pk])).content.decode()
    assert 'value="objection"' not in page  # no objection period: comments only
    refused = client.post(
        remark, {"kind": "objection", "block_id": paragraph.id, "text": "Zu früh?"}
    )
    assert refused.status_code == 400 and "Zu früh?" in refused.content.decode()
    response = client.post(
        remark, {"kind": "comment", "block_id": paragraph.id, "text": "Die AWO fehlt."}
    )
    assert response.status_code == 302
    saved = MinutesObjection.objects.get()
    assert saved.kind == RemarkKind.COMMENT and saved.block_source == paragraph.source
    page = client.get(reverse("meetings:minutes", args=[meeting.pk])).content.decode()
    assert "Die AWO fehlt." in page and f'href="#{paragraph.id}"' in page
    assert f'id="{paragraph.id}"' in page  # the paragraph in the text carries the anchor


def test_objection_on_a_paragraph_reaches_the_coordinator_and_holds_approval(
    client_for, coordinator, member, decided
):
    meeting, _paper, minutes = decided
    services.minutes_circulate(actor=coordinator, minutes_id=minutes.pk, days=7)
    paragraph = _paragraph(minutes, "Gäste")
    remark = reverse("meetings:minutes_remark", args=[meeting.pk])
    client = client_for(member)
    # A paragraph that is not in the text: refused, the text kept.
    bad = client.post(remark, {"kind": "objection", "block_id": "b-0000000000", "text": "Hm."})
    assert bad.status_code == 400 and "Hm." in bad.content.decode()
    client.post(remark, {"kind": "comment", "text": "Danke fürs Schreiben."})
    # A comment does not hold the minutes back ...
    assert MinutesObjection.objects.filter(kind="objection").count() == 0
    client.post(
        remark,
        {"kind": "objection", "block_id": paragraph.id, "text": "Die Gäste aus Naunhof fehlen."},
    )
    # ... an objection does: the period ending approves nothing, the coordinator sees why.
    assert services.minutes_approve_due(now=timezone.now() + dt.timedelta(days=8)) == 0
    page = client_for(coordinator).get(reverse("meetings:minutes", args=[meeting.pk]))
    html = page.content.decode()
    assert "Die Gäste aus Naunhof fehlen." in html and "1 Einspruch liegt vor" in html
    assert paragraph.source in html  # the quote


def test_comments_alone_let_the_period_approve(coordinator, member, decided):
    _meeting, _paper, minutes = decided
    services.minutes_circulate(actor=coordinator, minutes_id=minutes.pk, days=7)
    services.minutes_remark(user=member, minutes_id=minutes.pk, text="Gut.", kind="comment")
    assert services.minutes_approve_due(now=timezone.now() + dt.timedelta(days=8)) == 1
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.APPROVED
    with pytest.raises(services.MeetingError):
        services.minutes_remark(user=member, minutes_id=minutes.pk, text="Nachher", kind="comment")


def test_quote_survives_a_revision_of_its_paragraph(client_for, coordinator, member, decided):
    meeting, _paper, minutes = decided
    paragraph = _paragraph(minutes, "Gäste")
    services.minutes_remark(
        user=member, minutes_id=minutes.pk, text="Namen?", kind="comment", block_id=paragraph.id
    )
    body = minutes.current_revision.body.replace(paragraph.source, "Gäste: 2 aus Naunhof")
    services.minutes_save(
        actor=coordinator, minutes_id=minutes.pk, body=body, public_body="",
        base_revision_id=minutes.current_revision_id,
    )  # fmt: skip
    html = client_for(member).get(reverse("meetings:minutes", args=[meeting.pk])).content.decode()
    assert paragraph.source in html and "Der Absatz wurde seitdem geändert." in html
    assert f'href="#{paragraph.id}"' not in html


def test_visitors_and_non_members_never_see_remarks(client_for, coordinator, member, decided):
    meeting, _paper, minutes = decided
    services.minutes_save(
        actor=coordinator, minutes_id=minutes.pk, body="Intern", public_body="Öffentlich.",
        base_revision_id=minutes.current_revision_id,
    )  # fmt: skip
    services.minutes_circulate(actor=coordinator, minutes_id=minutes.pk)
    services.minutes_object(user=member, minutes_id=minutes.pk, text="Geheimer Einwand")
    services.minutes_approve(actor=coordinator, minutes_id=minutes.pk)
    url = reverse("meetings:minutes", args=[meeting.pk])
    page = client_for(None).get(url).content.decode()
    assert "Öffentlich." in page and "Geheimer Einwand" not in page
    remark = reverse("meetings:minutes_remark", args=[meeting.pk])
    assert client_for(None).post(remark, {"kind": "comment", "text": "x"}).status_code == 302
    registered = UserFactory(membership_status="registered")
    assert client_for(registered).post(remark, {"text": "x"}).status_code == 403
    assert MinutesObjection.objects.count() == 1


# --- revisions ---------------------------------------------------------------------------------


def test_revision_history_shows_what_changed(client_for, coordinator, member, decided):
    meeting, _paper, minutes = decided
    services.minutes_save(
        actor=coordinator, minutes_id=minutes.pk,
        body=minutes.current_revision.body + "\n\nNachtrag nach dem Einspruch.", public_body="",
        base_revision_id=minutes.current_revision_id,
    )  # fmt: skip
    client = client_for(member)
    listing = client.get(reverse("meetings:minutes_revisions", args=[meeting.pk]))
    assert listing.status_code == 200
    diff_url = reverse("meetings:minutes_revision_diff", args=[meeting.pk, 2])
    assert diff_url in listing.content.decode()
    diff = client.get(diff_url).content.decode()
    assert "<ins" in diff and "Nachtrag" in diff
    assert (
        client.get(reverse("meetings:minutes_revision_diff", args=[meeting.pk, 3])).status_code
        == 404
    )
    assert (
        client.get(reverse("meetings:minutes_revision_diff", args=[meeting.pk, 1])).status_code
        == 404
    )


# --- the paper's timeline -----------------------------------------------------------------------


def test_papers_timeline_links_to_the_meeting_that_decided_it(
    client_for, coordinator, member, decided
):
    meeting, paper, minutes = decided
    html = client_for(member).get(paper.get_absolute_url()).content.decode()
    assert "Im Treffen entschieden" in html and "Auf der Tagesordnung" in html
    assert f'href="{meeting.get_absolute_url()}"' in html
    assert reverse("meetings:minutes", args=[meeting.pk]) in html
    # The minutes link back to the paper.
    assert paper.get_absolute_url() in minutes.current_revision.body_html


def test_public_page_names_the_public_meeting_not_a_members_only_one(
    client_for, coordinator, author, place, decided
):
    meeting, paper, minutes = decided
    statement_transition(statement_id=paper.pk, name="publish", actor=coordinator)
    visitor = client_for(None)
    html = visitor.get(paper.get_absolute_url()).content.decode()
    assert "Im Treffen entschieden" in html and meeting.get_absolute_url() in html
    # The minutes are linked only once approved with a public part.
    assert reverse("meetings:minutes", args=[meeting.pk]) not in html
    services.minutes_save(
        actor=coordinator, minutes_id=minutes.pk, body="Intern", public_body="Beschlossen.",
        base_revision_id=minutes.current_revision_id,
    )  # fmt: skip
    services.minutes_circulate(actor=coordinator, minutes_id=minutes.pk)
    services.minutes_approve(actor=coordinator, minutes_id=minutes.pk)
    html = visitor.get(paper.get_absolute_url()).content.decode()
    assert reverse("meetings:minutes", args=[meeting.pk]) in html

    secret = plan(coordinator, place, days=0, public=False, title="Klausur")
    other = make_statement(author=author, state="voting", title="Zweites Papier")
    Ballot.objects.filter(statement=other).update(quorum_kind="none")
    services.attendance_record(
        actor=coordinator,
        meeting_id=secret.pk,
        check_in=services.CheckIn(user_ids=(UserFactory().pk,)),
    )
    services.agenda_draft(actor=coordinator, meeting_id=secret.pk)
    services.room_decision_record(
        actor=coordinator, meeting_id=secret.pk, statement_id=other.pk, counts=Counts(yes=1)
    )
    statement_transition(statement_id=other.pk, name="publish", actor=coordinator)
    html = visitor.get(other.get_absolute_url()).content.decode()
    assert secret.get_absolute_url() not in html and "Klausur" not in html


def test_decisions_in_the_minutes_are_real_links_to_the_paper(decided):
    _meeting, paper, minutes = decided
    html = minutes.current_revision.body_html
    assert f'href="{settings.SITE_URL}{paper.get_absolute_url()}"' in html


def test_the_coordination_sees_open_minutes_with_their_objections(
    client_for, coordinator, member, decided
):
    meeting, _paper, minutes = decided
    services.minutes_circulate(actor=coordinator, minutes_id=minutes.pk)
    services.minutes_object(user=member, minutes_id=minutes.pk, text="Fehlt etwas.")
    services.minutes_remark(user=member, minutes_id=minutes.pk, text="Gut.", kind="comment")
    page = client_for(coordinator).get(reverse("meetings:manage")).content.decode()
    assert reverse("meetings:minutes", args=[meeting.pk]) in page
    assert "1 Einspruch" in page and "1 Anmerkung" in page
    services.minutes_approve(actor=coordinator, minutes_id=minutes.pk)
    page = client_for(coordinator).get(reverse("meetings:manage")).content.decode()
    assert "Offene Protokolle" not in page
