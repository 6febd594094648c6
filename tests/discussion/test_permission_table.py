"""Every discussion predicate against a table: person × paper state × kind of comment.

The views put other guards in front of these predicates (the internal page's 404, the
services' own checks), so the view matrix cannot see a predicate that says yes too
often. Templates ask the predicates directly, though, and so will the next views; a
mutation run (docs/mutation.md) showed can_comment answering yes for people who may not
even read the paper and can_suggest for anyone while the text is open. The rules are
restated here from discussion/permissions.py's docstring, independently of its code.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from discussion import permissions as dperms
from discussion.models import Comment, SuggestionStatus
from statements import markdown
from tests.discussion.conftest import move_to
from tests.factories import UserFactory, make_statement

pytestmark = pytest.mark.django_db

ROLES = ("visitor", "registered", "suspended", "member", "author", "coauthor", "coord")
MEMBERS = {"member", "author", "coauthor", "coord"}
AUTHORS = {"author", "coauthor"}
STATES = ("draft", "consultation", "voting", "published")
OPEN_TEXT = {"draft", "consultation"}
# Comments by the person asking ("own") or by another member ("other").
KINDS = (
    "own",
    "other",
    "own reply",
    "other reply",
    "own deleted",
    "other deleted",
    "own hidden",
    "other hidden",
    "own open suggestion",
    "own applied suggestion",
    "own declined suggestion",
    "other open suggestion",
    "other hidden suggestion",
)


def sees(role: str, state: str) -> bool:
    return role in MEMBERS and (role != "member" or state != "draft")


def comments(role: str, state: str) -> bool:
    if state == "draft":
        return role in AUTHORS | {"coord"}
    return state == "consultation" and role in MEMBERS


def rules(role: str, state: str, kind: str) -> dict[str, bool]:
    """What each predicate must answer."""
    own = kind.startswith("own") and role not in ("visitor",)
    deleted, hidden = "deleted" in kind, "hidden" in kind
    reply = "reply" in kind
    suggestion = "suggestion" in kind
    decided = "applied" in kind or "declined" in kind
    open_suggestion = suggestion and not decided
    # A person who is not a member has no standing of their own, even on their comment.
    own_member = own and role in MEMBERS and not deleted
    return {
        "can_view_comments": sees(role, state),
        "can_comment": comments(role, state),
        "can_suggest": comments(role, state),
        "can_see_content": not hidden or role == "coord" or (own and role in MEMBERS),
        "can_reply": not reply and not deleted and not hidden and comments(role, state),
        "can_edit_comment": own_member and not hidden and not decided and comments(role, state),
        "can_delete_comment": own_member and comments(role, state),
        "can_resolve": (
            not reply
            and not deleted
            and state in OPEN_TEXT
            and sees(role, state)
            and role in AUTHORS | {"coord"}
        ),
        "can_report": sees(role, state) and not deleted and not hidden and not own,
        "can_hide": role == "coord",
        "can_apply": (
            open_suggestion
            and not deleted
            and not hidden
            and state in OPEN_TEXT
            and role in AUTHORS
        ),
        "can_decline": (
            open_suggestion
            and not deleted
            and not hidden
            and state in OPEN_TEXT
            and role in AUTHORS
        ),
    }


@pytest.fixture
def people(author, coauthor) -> dict:
    return {
        "visitor": AnonymousUser(),
        "registered": UserFactory(membership_status="registered"),
        "suspended": UserFactory(membership_status="suspended"),
        "member": UserFactory(),
        "author": author,
        "coauthor": coauthor,
        "coord": UserFactory(is_coordinator=True),
    }


def make_comment(statement, author, kind: str, root: Comment) -> Comment:
    status = ""
    for word, value in (
        ("open", SuggestionStatus.OPEN),
        ("applied", SuggestionStatus.APPLIED),
        ("declined", SuggestionStatus.DECLINED),
    ):
        if word in kind:
            status = value
    if "hidden suggestion" in kind:
        status = SuggestionStatus.OPEN
    block = markdown.blocks(statement.current_revision.body)[0]
    reply = "reply" in kind  # replies are plain: no anchor, no suggestion
    comment = Comment(
        statement=statement,
        revision=statement.current_revision,
        block_id="" if reply else block.id,
        block_source="" if reply else block.source,
        parent=root if reply else None,
        author=author,
        body="Text",
        body_html="<p>Text</p>",
        suggestion_text="Neu." if status else "",
        suggestion_status=status,
        is_hidden="hidden" in kind,
        deleted_at=timezone.now() if "deleted" in kind else None,
    )
    comment.save()
    comment.statement = statement  # one instance, so its author cache is shared
    return comment


@pytest.mark.parametrize("state", STATES)
def test_discussion_predicates_follow_the_table(state, people, author, coauthor):
    statement = make_statement(author=author, coauthors=[coauthor], state="consultation")
    if state == "draft":
        statement = make_statement(author=author, coauthors=[coauthor], state="draft")
    elif state != "consultation":
        statement = move_to(statement, state)
    other = UserFactory(display_name="Olga Andere")
    root = make_comment(statement, other, "other", None)
    wrong = {}
    for role in ROLES:
        user = people[role]
        # The page's one-per-reader answer must agree with every predicate.
        viewer = dperms.viewer(user, statement)
        for kind in KINDS:
            writer = user if kind.startswith("own") and role != "visitor" else other
            comment = make_comment(statement, writer, kind, root)
            expected = rules(role, state, kind)
            for predicate, want in expected.items():
                if predicate in ("can_view_comments", "can_comment", "can_suggest"):
                    got = getattr(dperms, predicate)(user, statement)
                else:
                    got = getattr(dperms, predicate)(user, comment)
                    decides = predicate in ("can_apply", "can_decline")
                    method = "can_decide" if decides else predicate
                    if bool(getattr(viewer, method)(comment)) != want:
                        wrong[role, kind, f"Viewer.{method}"] = not want
                if bool(got) != want:
                    wrong[role, kind, predicate] = got
    assert not wrong, f"{state}: predicates differ from the table: {wrong}"
