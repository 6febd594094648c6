"""Role × state matrix for every discussion action, through the test client.

docs/product.md: comments during draft (authors and coordinators) and consultation
(all members), read-only afterwards; authors decide on suggestions while the
text is editable; authors and coordinators resolve; any member who can see a
comment reports it; coordinators hide. Everyone else gets 403 if they may see
the paper's internal view, else 404 (visitors, registered and suspended people
must not learn that internal pages exist). Wrong HTTP methods get 405.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from discussion.models import Comment, Report, SuggestionStatus
from statements import markdown
from tests.discussion.conftest import move_to
from tests.factories import UserFactory, make_statement

ROLES = ("visitor", "registered", "member", "author", "coauthor", "coordinator", "suspended")
STATES = ("draft", "consultation", "voting", "published")
EDITABLE = ("draft", "consultation")
COMMENTERS = {
    "draft": {"author", "coauthor", "coordinator"},
    "consultation": {"member", "author", "coauthor", "coordinator"},
}


def sees_internal(role: str, state: str) -> bool:
    if role in ("visitor", "registered", "suspended"):
        return False
    return role != "member" or state != "draft"


def may_comment(role: str, state: str) -> bool:
    return role in COMMENTERS.get(state, set())


RULES: dict[str, Callable[[str, str], bool]] = {
    "comment": may_comment,
    "reply": may_comment,
    "edit": may_comment,
    "delete": may_comment,
    "suggest": may_comment,
    "apply": lambda role, state: role in ("author", "coauthor") and state in EDITABLE,
    "decline": lambda role, state: role in ("author", "coauthor") and state in EDITABLE,
    "resolve": lambda role, state: (
        role in ("author", "coauthor", "coordinator") and state in EDITABLE
    ),
    "report": sees_internal,
    "hide": lambda role, state: role == "coordinator",
}


def expected_status(action: str, role: str, state: str) -> int:
    if RULES[action](role, state):
        return 302
    return 403 if sees_internal(role, state) else 404


def target(statement, author, *, suggestion: bool = False) -> Comment:
    """A comment on the current first paragraph (written earlier, in any state)."""
    statement.refresh_from_db()
    block = markdown.blocks(statement.current_revision.body)[0]
    return Comment.objects.create(
        statement=statement,
        revision=statement.current_revision,
        author=author,
        body="Zielkommentar",
        body_html="<p>Zielkommentar</p>",
        block_id=block.id,
        block_source=block.source,
        suggestion_text="Ersetzter erster Absatz." if suggestion else "",
        suggestion_status=SuggestionStatus.OPEN if suggestion else "",
    )


@dataclass
class Attempt:
    method: str
    url: str
    data: dict[str, Any]
    happened: Callable[[], bool]


def attempt(action: str, statement, user, other) -> Attempt:
    """Build the request for `action` by `user` and a check whether it took effect."""
    if action in ("comment", "suggest"):
        before = Comment.objects.count()
        block = markdown.blocks(statement.current_revision.body)[1]
        data = {"body": "Mein Beitrag"}
        if action == "suggest":
            data |= {"block_id": block.id, "suggestion_text": "Neuer zweiter Absatz."}
        return Attempt(
            "post",
            reverse("discussion:comment_create", args=[statement.slug]),
            data,
            lambda: Comment.objects.count() == before + 1,
        )
    own = action in ("edit", "delete")
    comment = target(
        statement,
        user if own and user is not None else other,
        suggestion=action in ("apply", "decline"),
    )

    def fresh() -> Comment:
        return Comment.objects.get(pk=comment.pk)

    url = lambda name: reverse(f"discussion:{name}", args=[comment.pk])  # noqa: E731
    if action == "reply":
        return Attempt(
            "post", url("comment_reply"), {"body": "Antwort"}, lambda: comment.replies.exists()
        )
    if action == "edit":
        return Attempt(
            "post", url("comment_edit"), {"body": "Geändert"}, lambda: fresh().body == "Geändert"
        )
    if action == "delete":
        return Attempt("post", url("comment_delete"), {}, lambda: fresh().is_deleted)
    if action == "apply":
        return Attempt(
            "post",
            url("suggestion_apply"),
            {},
            lambda: fresh().suggestion_status == SuggestionStatus.APPLIED,
        )
    if action == "decline":
        return Attempt(
            "post",
            url("suggestion_decline"),
            {"reason": "Passt nicht"},
            lambda: fresh().suggestion_status == SuggestionStatus.DECLINED,
        )
    if action == "resolve":
        return Attempt("post", url("comment_resolve"), {}, lambda: fresh().is_resolved)
    if action == "report":
        return Attempt(
            "post",
            url("comment_report"),
            {"reason": "Beleidigend"},
            lambda: Report.objects.filter(comment=comment).exists(),
        )
    if action == "hide":
        return Attempt(
            "post", url("comment_hide"), {"reason": "Beleidigend"}, lambda: fresh().is_hidden
        )
    raise AssertionError(action)


@pytest.fixture
def people(registered, member, author, coauthor, coordinator, suspended) -> dict[str, Any]:
    return {
        "visitor": None,
        "registered": registered,
        "member": member,
        "author": author,
        "coauthor": coauthor,
        "coordinator": coordinator,
        "suspended": suspended,
    }


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", list(RULES))
def test_role_state_matrix(action, state, people, author, coauthor, client_for):
    statement = make_statement(author=author, coauthors=[coauthor], state="consultation")
    if state == "draft":
        statement = make_statement(author=author, coauthors=[coauthor], state="draft")
    elif state != "consultation":
        statement = move_to(statement, state)
    assert statement.state == state
    other = UserFactory(display_name="Olga Andere")
    got, want = {}, {}
    for role in ROLES:
        user = people[role]
        try_ = attempt(action, statement, user, other)
        response = getattr(client_for(user), try_.method)(try_.url, try_.data)
        got[role] = (response.status_code, try_.happened())
        want[role] = (expected_status(action, role, state), RULES[action](role, state))
        statement.refresh_from_db()
    assert got == want


POST_ONLY = [
    "comment_reply",
    "comment_delete",
    "comment_resolve",
    "comment_reopen",
    "suggestion_apply",
    "suggestion_decline",
    "comment_unhide",
]


@pytest.mark.parametrize("name", POST_ONLY)
def test_state_changes_refuse_get(name, in_consultation, coordinator, author, client_for):
    comment = target(in_consultation, author, suggestion=True)
    for user in (author, coordinator):
        response = client_for(user).get(reverse(f"discussion:{name}", args=[comment.pk]))
        assert response.status_code == 405
    assert Comment.objects.get(pk=comment.pk).suggestion_status == SuggestionStatus.OPEN


@pytest.mark.parametrize("name", ["comment_edit", "comment_report", "comment_hide"])
def test_form_pages_refuse_other_methods(name, in_consultation, member, coordinator, client_for):
    comment = target(in_consultation, member)
    url = reverse(f"discussion:{name}", args=[comment.pk])
    for method in ("put", "delete", "patch"):
        assert getattr(client_for(coordinator), method)(url).status_code == 405
    assert not Comment.objects.get(pk=comment.pk).is_hidden


def test_report_and_hide_form_pages(in_consultation, member, author, coordinator, client_for):
    comment = target(in_consultation, member)
    report = reverse("discussion:comment_report", args=[comment.pk])
    hide = reverse("discussion:comment_hide", args=[comment.pk])
    assert client_for(author).get(report).status_code == 200
    assert client_for(member).get(report).status_code == 403  # own comment
    assert client_for(author).get(hide).status_code == 403
    assert client_for(None).get(hide).status_code == 404
    page = client_for(coordinator).get(hide)
    assert page.status_code == 200 and 'name="reason"' in page.content.decode()
    assert not Report.objects.exists() and not Comment.objects.get(pk=comment.pk).is_hidden


def test_create_refuses_get_and_edit_refuses_put(in_consultation, author, client_for):
    client = client_for(author)
    url = reverse("discussion:comment_create", args=[in_consultation.slug])
    assert client.get(url).status_code == 405
    comment = target(in_consultation, author)
    edit = reverse("discussion:comment_edit", args=[comment.pk])
    assert client.put(edit, "body=x").status_code == 405
    assert client.delete(edit).status_code == 405
    assert client.get(edit).status_code == 200


def test_queue_and_dismiss_are_for_coordinators(in_consultation, member, coordinator, client_for):
    comment = target(in_consultation, coordinator)
    report = Report.objects.create(comment=comment, reporter=member, reason="x")
    queue = reverse("discussion:report_queue")
    dismiss = reverse("discussion:report_dismiss", args=[report.pk])
    assert client_for(None).get(queue).status_code == 302  # to the login page
    assert client_for(member).get(queue).status_code == 403
    assert client_for(member).post(dismiss).status_code == 403
    assert client_for(coordinator).get(dismiss).status_code == 405
    assert client_for(coordinator).get(queue).status_code == 200
    assert client_for(coordinator).post(dismiss).status_code == 302
    assert Report.objects.get(pk=report.pk).handled


def test_csrf_is_enforced(in_consultation, member):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    url = reverse("discussion:comment_create", args=[in_consultation.slug])
    assert client.post(url, {"body": "ohne Token"}).status_code == 403
    assert not Comment.objects.exists()
