"""The authorization matrix: every URL pattern × role × (where relevant) statement state.

One row per named URL pattern in MATRIX. test_every_url_pattern_has_a_row fails when a
pattern is added without a row. Each row is checked for all seven roles, and statement
URLs for all eight states; mismatches are listed together at the end of each row's test.

Outcomes: "ok" (2xx), "redirect" (302 elsewhere), "invalid" (400/409: past the guard,
input refused), "allowed" (any of those three: a POST without a body from someone who may
act), "login" (302 to the login page), "403", "404", "405".
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.authz.world import ROLES, STATES, World

pytestmark = pytest.mark.django_db

# Not in the matrix, with the reason:
EXCLUDED_NAMESPACES = {
    # Django's admin: staff only, behind the site login (tests/security/test_mfa.py).
    "admin",
}
EXCLUDED_NAMES = {
    # allauth's own views (login, sign-up, e-mail, password, 2FA) are tested upstream;
    # our configuration of them is tested in tests/security and tests/accounts.
    "allauth",
    # Django's language switch: a public POST endpoint without stored data.
    "set_language",
    # Served only with DEBUG on.
    "media",
}

Expect = Callable[[str, str | None], str]


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    expect: Expect
    kwargs: Callable[[World, str | None], dict[str, Any]] = lambda world, state: {}
    per_state: bool = False
    data: dict[str, Any] | None = None


# --- expectation helpers ------------------------------------------------------------------

MEMBERS = {"member", "author", "coauthor", "coordinator"}
AUTHORS = {"author", "coauthor"}
MEMBER_VISIBLE = {"consultation", "voting", "accepted", "rejected", "published", "retracted"}
PUBLIC = {"published", "retracted"}
EDITABLE = {"draft", "consultation"}


def everyone(outcome: str) -> Expect:
    return lambda role, state: outcome


def signed_in(outcome: str = "ok") -> Expect:
    return lambda role, state: "login" if role == "visitor" else outcome


def members(outcome: str = "ok") -> Expect:
    def expect(role: str, state: str | None) -> str:
        if role == "visitor":
            return "login"
        return outcome if role in MEMBERS else "403"

    return expect


def members_or_404(role: str, state: str | None) -> str:
    """A members-only list post does not exist for anybody else."""
    return "ok" if role in MEMBERS else "404"


def held_post(role: str, state: str | None) -> str:
    """A list post held for approval: its writer ("member") and the coordination."""
    return "ok" if role in {"member", "coordinator"} else "404"


def coordinators(outcome: str = "ok") -> Expect:
    def expect(role: str, state: str | None) -> str:
        if role == "visitor":
            return "login"
        return outcome if role == "coordinator" else "403"

    return expect


def sees_internal(role: str, state: str) -> bool:
    """docs/product.md: drafts are the authors' (and coordination's); members see the rest."""
    if role in AUTHORS or role == "coordinator":
        return True
    return role == "member" and state in MEMBER_VISIBLE


def internal(outcome: str = "ok", *, who: Callable[[str, str], bool] | None = None) -> Expect:
    """Pages behind statement_for(): 404 if not visible, 403 if visible but not allowed."""

    def expect(role: str, state: str | None) -> str:
        assert state is not None
        if not sees_internal(role, state):
            return "404"
        if who is not None and not who(role, state):
            return "403"
        return outcome

    return expect


def public_or_internal(role: str, state: str | None) -> str:
    """The statement page: public once published, else the internal view or 404."""
    return "ok" if state in PUBLIC else internal()(role, state)


def public_only(role: str, state: str | None) -> str:
    return "ok" if state in PUBLIC else "404"


def member_action_on_statement(
    allowed: Callable[[str, str], bool] | None = None, outcome: str = "allowed"
) -> Expect:
    """@member_required first (login / 403), then statement_for() (404 / 403)."""

    def expect(role: str, state: str | None) -> str:
        assert state is not None
        if role == "visitor":
            return "login"
        if role not in MEMBERS:
            return "403"
        if not sees_internal(role, state):
            return "404"
        if allowed is not None and not allowed(role, state):
            return "403"
        return outcome

    return expect


def extend_voting_page(role: str, state: str | None) -> str:
    """Coordinators only; a paper not in voting has no deadline to extend (409)."""
    first = member_action_on_statement(lambda r, s: r == "coordinator", outcome="ok")(role, state)
    return "invalid" if first == "ok" and state != "voting" else first


def withdraw_confirmation(role: str, state: str | None) -> str:
    """GET /transition/withdraw/: login, membership, visibility, then state, then person."""
    first = member_action_on_statement()(role, state)
    if first != "allowed":
        return first
    if state not in {"draft", "consultation", "rejected"}:
        return "invalid"  # 409: not possible in this state, whoever asks
    return "ok" if role in AUTHORS or role == "coordinator" else "403"


def comment_create(role: str, state: str | None) -> str:
    assert state is not None
    if not sees_internal(role, state):
        return "404"
    if state == "draft":  # during the draft: authors and coordination
        return "allowed"
    return "allowed" if state == "consultation" else "403"


# The comment in the world: by "member", on the paper in consultation, with a suggestion.
def on_comment(allowed: set[str], outcome: str = "allowed") -> Expect:
    def expect(role: str, state: str | None) -> str:
        if role not in MEMBERS:
            return "404"  # non-members must not learn that the comment exists
        return outcome if role in allowed else "403"

    return expect


def can_edit(role: str, state: str) -> bool:
    return role in AUTHORS and state in EDITABLE


def is_creator_editing(role: str, state: str) -> bool:
    """Only the paper's creator manages co-authors, while the text is editable."""
    return role == "author" and state in EDITABLE


def own_notification(role: str, state: str | None) -> str:
    """The world's notification is the author's: everyone else gets 404, not 403."""
    if role == "visitor":
        return "login"
    return "allowed" if role == "author" else "404"


def admission_request(role: str, state: str | None) -> str:
    """Only a registered (not yet admitted) person may ask for admission."""
    if role == "visitor":
        return "login"
    return "allowed" if role == "registered" else "invalid"  # others: refused with a message


def organisation_deciders(outcome: str = "ok") -> Expect:
    """The world's organisation: the coordination and its contact ("member") decide who
    belongs; everyone else, co-authors included, gets 403 (nothing secret: its name is on
    every profile page)."""

    def expect(role: str, state: str | None) -> str:
        if role == "visitor":
            return "login"
        return outcome if role in {"coordinator", "member"} else "403"

    return expect


def members_else_404(outcome: str = "ok") -> Expect:
    """A members-only meeting: whoever is no member must not learn that it exists."""
    return lambda role, state: outcome if role in MEMBERS else "404"


def everyone_else(*excluded: str) -> set[str]:
    return MEMBERS - set(excluded)


# --- the table -----------------------------------------------------------------------------


def slug(world: World, state: str | None) -> dict[str, Any]:
    return {"slug": world.statements[state or "consultation"].slug}


def pk_of(key: str) -> Callable[[World, str | None], dict[str, Any]]:
    return lambda world, state: {"pk": world.objects[key].pk}


MATRIX: list[Row] = [
    # --- core -----------------------------------------------------------------------------
    Row("core:healthz", "GET", everyone("ok")),
    Row("core:about", "GET", everyone("ok")),
    Row("core:privacy", "GET", everyone("ok")),
    Row("core:imprint", "GET", everyone("ok")),
    # --- accounts ------------------------------------------------------------------------
    Row("accounts:profile", "GET", signed_in()),
    Row("accounts:admission_request", "POST", admission_request),
    Row("accounts:profile_export", "GET", signed_in()),
    Row("accounts:account_delete", "GET", signed_in()),
    Row("accounts:set_language", "POST", everyone("allowed"), data={"language": "en"}),
    Row("accounts:directory", "GET", members()),
    Row("accounts:invitation_accept", "GET", everyone("invalid"), lambda w, s: {"token": "kaputt"}),
    Row("accounts:admission_queue", "GET", coordinators()),
    Row("accounts:admission_decide", "POST", coordinators("allowed"), pk_of("admission")),
    Row("accounts:member_admin", "GET", coordinators()),
    Row(
        "accounts:member_action",
        "POST",
        coordinators("allowed"),
        lambda w, s: {"pk": w.users["member"].pk},
    ),
    Row("accounts:organisation_list", "GET", coordinators()),
    Row("accounts:organisation_edit", "GET", coordinators(), pk_of("organisation")),
    Row("accounts:membership_queue", "GET", coordinators()),
    Row("accounts:organisation_members", "GET", organisation_deciders(), pk_of("organisation")),
    Row(
        "accounts:membership_action",
        "POST",
        organisation_deciders("allowed"),
        pk_of("membership_request"),
    ),
    Row("accounts:invitation_list", "GET", coordinators()),
    Row("statements:topic_list", "GET", coordinators()),
    Row("statements:topic_edit", "GET", coordinators(), pk_of("topic")),
    Row("statements:topic_delete", "POST", coordinators("allowed"), pk_of("topic")),
    Row("accounts:invitation_revoke", "POST", coordinators("allowed"), pk_of("invitation")),
    # --- public --------------------------------------------------------------------------
    Row("public:home", "GET", everyone("ok")),
    Row("public:statement_list", "GET", everyone("ok")),
    Row("public:feed", "GET", everyone("ok")),
    Row(
        "public:topic_feed",
        "GET",
        everyone("ok"),
        lambda w, s: {"topic": w.objects["public_topic"].slug},
    ),
    Row("public:statement_page", "GET", public_or_internal, slug, per_state=True),
    Row("public:cosign", "POST", member_action_on_statement(), slug, per_state=True),
    Row("public:feed_about", "GET", everyone("ok")),
    # Addressees and answers (issue 19): coordinators only.
    Row("public:address_book", "GET", coordinators()),
    Row("public:address_book", "POST", coordinators("invalid"), data={}),
    Row(
        "public:dispatch",
        "GET",
        coordinators("ok"),
        slug,
        per_state=True,
    ),
    Row(
        "public:dispatch",
        "POST",
        coordinators("invalid"),
        slug,
        per_state=True,
        data={"action": "answer"},
    ),
    # Answers by mail: a file sent with one, its visibility (unknown id: 404 behind the gate).
    Row(
        "public:answer_file",
        "GET",
        coordinators("404"),
        lambda w, s: {**slug(w, s), "pk": 0},
        per_state=True,
    ),
    Row(
        "public:answer_visibility",
        "POST",
        coordinators("404"),
        lambda w, s: {**slug(w, s), "pk": 0},
        per_state=True,
        data={"public": "1"},
    ),
    # Companion versions (issue 19). The world has none approved: their public pages are
    # 404 for everyone (tests/public/test_companions.py covers an approved one); the
    # members' overview, the form (published papers only) and the approval (unknown id).
    Row(
        "public:companion",
        "GET",
        everyone("404"),
        lambda w, s: {**slug(w, s), "code": "ar"},
        per_state=True,
    ),
    Row(
        "public:companion_pdf",
        "GET",
        everyone("404"),
        lambda w, s: {**slug(w, s), "code": "einfach"},
        per_state=True,
    ),
    Row(
        "public:companion_list",
        "GET",
        member_action_on_statement(outcome="ok"),
        slug,
        per_state=True,
    ),
    Row(
        "public:companion_write",
        "GET",
        member_action_on_statement(lambda r, s: s == "published", outcome="ok"),
        lambda w, s: {**slug(w, s), "code": "einfach"},
        per_state=True,
    ),
    Row(
        "public:companion_approve",
        "POST",
        member_action_on_statement(outcome="404"),
        lambda w, s: {**slug(w, s), "pk": 999999},
        per_state=True,
    ),
    Row(
        "public:document",
        "GET",
        public_only,
        lambda w, s: {**slug(w, s), "kind": "pdf"},
        per_state=True,
    ),
    Row("public:wording", "GET", public_only, slug, per_state=True),
    Row("public:verify", "GET", public_only, slug, per_state=True),
    Row(
        "public:verify",
        "POST",
        lambda role, state: "invalid" if state in PUBLIC else "404",
        slug,
        per_state=True,
    ),
    Row("public:api_list", "GET", everyone("ok")),
    Row("public:api_detail", "GET", public_only, slug, per_state=True),
    Row("public:sitemap", "GET", everyone("ok")),
    Row("public:sitemap_section", "GET", everyone("ok"), lambda w, s: {"section": "statements"}),
    Row("public:desk", "GET", coordinators()),
    # --- statements ----------------------------------------------------------------------
    Row("statements:dashboard", "GET", members()),
    Row("statements:search", "GET", members()),
    Row("statements:new", "GET", members()),
    Row("statements:new_preview", "POST", members("allowed")),
    Row("statements:edit", "GET", internal("ok", who=can_edit), slug, per_state=True),
    Row("statements:preview", "POST", internal("allowed", who=can_edit), slug, per_state=True),
    Row("statements:presence", "POST", internal("allowed", who=can_edit), slug, per_state=True),
    Row("statements:history", "GET", internal(), slug, per_state=True),
    Row("statements:compare", "GET", internal("redirect"), slug, per_state=True),
    Row(
        "statements:revision",
        "GET",
        internal(),
        lambda w, s: {**slug(w, s), "number": 1},
        per_state=True,
    ),
    Row(
        "statements:restore",
        "POST",
        internal("allowed", who=can_edit),
        lambda w, s: {**slug(w, s), "number": 1},
        per_state=True,
    ),
    Row(
        "statements:diff",
        "GET",
        internal(),
        lambda w, s: {**slug(w, s), "a": 1, "b": 1},
        per_state=True,
    ),
    Row(
        "statements:coauthors", "GET", internal("ok", who=is_creator_editing), slug, per_state=True
    ),
    Row(
        "statements:coauthor_remove",
        "POST",
        internal("allowed", who=is_creator_editing),
        lambda w, s: {**slug(w, s), "user_id": w.users["coauthor"].pk},
        per_state=True,
    ),
    # The editor's background save and its discard: whoever may edit, in the editable states.
    Row("statements:autosave", "POST", internal("allowed", who=can_edit), slug, per_state=True),
    Row(
        "statements:autosave_discard",
        "POST",
        internal("allowed", who=can_edit),
        slug,
        per_state=True,
    ),
    # --- workflow ------------------------------------------------------------------------
    Row(
        "workflow:transition",
        "GET",
        withdraw_confirmation,
        lambda w, s: {**slug(w, s), "name": "withdraw"},
        per_state=True,
    ),
    Row(
        "workflow:urgent",
        "POST",
        member_action_on_statement(lambda r, s: r == "coordinator"),
        slug,
        per_state=True,
    ),
    Row("workflow:extend_voting", "GET", extend_voting_page, slug, per_state=True),
    # --- discussion ----------------------------------------------------------------------
    Row("discussion:comment_create", "POST", comment_create, slug, per_state=True),
    Row("discussion:comment_reply", "POST", on_comment(MEMBERS), pk_of("comment")),
    Row("discussion:comment_edit", "GET", on_comment({"member"}, "ok"), pk_of("comment")),
    Row("discussion:comment_history", "GET", on_comment(MEMBERS, "ok"), pk_of("comment")),
    Row("discussion:comment_delete", "POST", on_comment({"member"}), pk_of("comment")),
    Row(
        "discussion:comment_resolve",
        "POST",
        on_comment(AUTHORS | {"coordinator"}),
        pk_of("comment"),
    ),
    Row(
        "discussion:comment_reopen", "POST", on_comment(AUTHORS | {"coordinator"}), pk_of("comment")
    ),
    Row("discussion:suggestion_apply", "POST", on_comment(AUTHORS), pk_of("comment")),
    Row("discussion:suggestion_decline", "POST", on_comment(AUTHORS), pk_of("comment")),
    Row(
        "discussion:suggestions_apply",
        "POST",
        internal("allowed", who=can_edit),
        slug,
        per_state=True,
    ),
    Row("discussion:comment_report", "POST", on_comment(everyone_else("member")), pk_of("comment")),
    Row("discussion:comment_hide", "POST", on_comment({"coordinator"}), pk_of("comment")),
    Row("discussion:comment_unhide", "POST", on_comment({"coordinator"}), pk_of("comment")),
    Row("discussion:report_queue", "GET", coordinators()),
    Row("discussion:report_dismiss", "POST", coordinators("allowed"), pk_of("report")),
    Row("discussion:member_autocomplete", "GET", members()),
    # --- voting --------------------------------------------------------------------------
    Row("voting:vote", "POST", internal("allowed"), slug, per_state=True),
    # --- meetings ------------------------------------------------------------------------
    Row("meetings:list", "GET", everyone("ok")),
    Row("meetings:public_feed", "GET", everyone("ok")),
    Row("meetings:detail", "GET", everyone("ok"), pk_of("meeting_public")),
    Row("meetings:detail", "GET", members_else_404(), pk_of("meeting_internal")),
    Row("meetings:rsvp", "POST", members("allowed"), pk_of("meeting_public")),
    # The token is the credential: it opens this one feed for whoever holds it.
    Row(
        "meetings:personal_feed",
        "GET",
        everyone("ok"),
        lambda w, s: {"token": w.objects["calendar_token"].token},
    ),
    Row("meetings:personal_feed", "GET", everyone("404"), lambda w, s: {"token": "kaputt"}),
    Row("meetings:my_calendar", "GET", members()),
    Row("meetings:calendar_reset", "POST", members("allowed")),
    Row("meetings:manage", "GET", coordinators()),
    Row("meetings:series", "GET", coordinators()),
    Row("meetings:edit", "GET", coordinators(), pk_of("meeting_public")),
    Row("meetings:cancel", "GET", coordinators(), pk_of("meeting_public")),
    Row("meetings:confirm", "POST", coordinators("allowed"), pk_of("meeting_public")),
    Row("meetings:attendance", "GET", coordinators(), pk_of("meeting_internal")),
    Row("meetings:agenda_propose", "POST", members("allowed"), pk_of("meeting_public")),
    Row("meetings:agenda_propose", "POST", members("allowed"), pk_of("meeting_internal")),
    Row("meetings:agenda", "GET", coordinators(), pk_of("meeting_internal")),
    Row("meetings:agenda_draft", "POST", coordinators("allowed"), pk_of("meeting_internal")),
    Row("meetings:agenda_send", "POST", coordinators("allowed"), pk_of("meeting_internal")),
    Row("meetings:agenda_item", "POST", coordinators("allowed"), pk_of("agenda_item")),
    Row("meetings:agenda_item_delete", "POST", coordinators("allowed"), pk_of("agenda_item")),
    Row(
        "meetings:decide",
        "GET",
        coordinators(),
        lambda w, s: {
            "pk": w.objects["meeting_internal"].pk,
            "statement_id": w.statements["voting"].pk,
        },
    ),
    Row("meetings:minutes", "GET", members_else_404(), pk_of("meeting_internal")),
    Row("meetings:minutes_remark", "POST", members("invalid"), pk_of("meeting_internal")),
    Row("meetings:minutes_revisions", "GET", members(), pk_of("meeting_internal")),
    # The world's minutes have one revision: there is no change to show (404 for members).
    Row(
        "meetings:minutes_revision_diff",
        "GET",
        members("404"),
        lambda w, s: {"pk": w.objects["meeting_internal"].pk, "number": 2},
    ),
    Row("meetings:minutes_preview", "POST", coordinators(), pk_of("meeting_internal")),
    Row("meetings:minutes_autosave", "POST", coordinators(), pk_of("meeting_internal")),
    Row(
        "meetings:minutes_autosave_discard",
        "POST",
        coordinators("allowed"),
        pk_of("meeting_internal"),
    ),
    Row("meetings:minutes_draft", "POST", coordinators("allowed"), pk_of("meeting_public")),
    Row("meetings:minutes_edit", "GET", coordinators(), pk_of("meeting_internal")),
    Row("meetings:minutes_circulate", "POST", coordinators("allowed"), pk_of("meeting_internal")),
    Row("meetings:minutes_approve", "POST", coordinators("allowed"), pk_of("meeting_internal")),
    Row("meetings:places", "GET", coordinators()),
    Row("meetings:place_edit", "GET", coordinators(), pk_of("place")),
    # --- notifications -------------------------------------------------------------------
    Row("notifications:list", "GET", signed_in()),
    Row("notifications:mark_read", "POST", own_notification, pk_of("notification")),
    Row("notifications:mark_all_read", "POST", signed_in("allowed")),
    # Marks only the signed-in person's own rows about that paper: nothing to refuse.
    Row(
        "notifications:mark_paper_read",
        "POST",
        signed_in("allowed"),
        lambda w, s: {"statement_id": w.statements["consultation"].pk},
    ),
    Row("notifications:preferences", "GET", signed_in()),
    Row("notifications:unsubscribe", "GET", everyone("invalid"), lambda w, s: {"token": "kaputt"}),
    Row("notifications:follow", "POST", member_action_on_statement(), slug, per_state=True),
    Row("notifications:subscribe", "GET", everyone("ok")),
    Row(
        "notifications:subscribe_confirm",
        "GET",
        everyone("invalid"),
        lambda w, s: {"token": "kaputt"},
    ),
    # --- maillist (the e-mail list) ----------------------------------------------------------
    Row("maillist:archive", "GET", everyone("ok")),
    Row("maillist:funding", "GET", everyone("ok")),
    Row("maillist:feed", "GET", everyone("ok")),
    Row("maillist:post", "GET", members_or_404, pk_of("list_post_members")),
    Row("maillist:post", "GET", everyone("ok"), pk_of("list_post_public")),
    Row("maillist:post", "GET", held_post, pk_of("list_post_held")),
    Row("maillist:post_new", "GET", members()),
    Row("maillist:post_new", "POST", members("invalid")),
    Row("maillist:held", "GET", coordinators()),
    Row("maillist:decide", "POST", coordinators("allowed"), pk_of("list_post_held")),
    Row("maillist:settings", "GET", coordinators()),
    Row("maillist:settings", "POST", coordinators("allowed")),
    Row("maillist:subscribe", "GET", everyone("ok")),
    Row("maillist:subscribe", "POST", everyone("invalid")),
    Row("maillist:confirm", "GET", everyone("invalid"), lambda w, s: {"token": "kaputt"}),
    Row("maillist:unsubscribe", "GET", everyone("invalid"), lambda w, s: {"token": "kaputt"}),
    # Its POST is csrf-exempt by design (RFC 8058 one-click): tests/maillist/test_subscribers.py
    Row("maillist:subscriber_types", "GET", everyone("invalid"), lambda w, s: {"token": "x"}),
    Row("maillist:subscriber_types", "POST", everyone("invalid"), lambda w, s: {"token": "x"}),
    Row("maillist:member_types", "GET", members()),
    Row("maillist:member_types", "POST", members("allowed")),
    Row("maillist:subscribers", "GET", coordinators()),
    Row(
        "maillist:subscriber_remove",
        "POST",
        coordinators("allowed"),
        pk_of("list_subscriber"),
    ),
    Row("notifications:failed", "GET", coordinators()),
    Row("notifications:retry", "POST", coordinators("allowed")),
]


def outcome_of(response) -> str:
    status = response.status_code
    if status in (301, 302, 303):
        location = response["Location"]
        return "login" if location.startswith(reverse("account_login")) else "redirect"
    if 200 <= status < 300 or status == 304:
        return "ok"
    if status in (400, 409, 422):
        return "invalid"
    return str(status)


def matches(expected: str, actual: str) -> bool:
    if expected == "allowed":
        return actual in {"ok", "redirect", "invalid"}
    return expected == actual


def walk(resolver: URLResolver, prefix: str = "", namespace: str = "") -> list[tuple[str, str]]:
    found = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in EXCLUDED_NAMESPACES:
                continue
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += walk(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            module = getattr(pattern.callback, "__module__", "")
            if module.startswith("allauth."):
                continue
            name = f"{namespace}{pattern.name}" if pattern.name else prefix + str(pattern.pattern)
            found.append((name, prefix + str(pattern.pattern)))
    return found


def url_names() -> dict[str, str]:
    names = {}
    for name, route in walk(get_resolver()):
        if name in EXCLUDED_NAMES or "media/" in route:
            continue
        names[name] = route
    return names


def test_every_url_pattern_has_a_row():
    rows = {row.name for row in MATRIX}
    missing = set(url_names()) - rows
    assert not missing, (
        f"URL patterns without a row in tests/authz/test_matrix.py: {sorted(missing)}"
    )
    stale = rows - set(url_names())
    assert not stale, f"rows for URL patterns that no longer exist: {sorted(stale)}"


@pytest.mark.parametrize("row", MATRIX, ids=lambda row: f"{row.method}-{row.name}")
def test_matrix(row: Row, world: World, db):
    states = STATES if row.per_state else (None,)
    mismatches = []
    table = []
    for state in states:
        url = reverse(row.name, kwargs=row.kwargs(world, state))
        for role in ROLES:
            client = world.client(role)
            # Each request's writes are rolled back, so every role meets the same world.
            with transaction.atomic():
                response = getattr(client, row.method.lower())(url, row.data or {})
                transaction.set_rollback(True)
            actual = outcome_of(response)
            expected = row.expect(role, state)
            table.append(f"{state or '-':>12} {role:>12} {actual}")
            if not matches(expected, actual):
                mismatches.append(
                    f"{row.method} {url} as {role} ({state or '-'}): "
                    f"expected {expected}, got {actual} ({response.status_code})"
                )
    if os.environ.get("RTM_AUTHZ_PRINT"):
        print(f"\n{row.method} {row.name}\n" + "\n".join(table))
    assert not mismatches, "\n".join(mismatches)


# POST endpoints outside the matrix that change something too.
EXTRA_POSTS = [
    "account_login",
    "account_logout",
    "account_signup",
    "account_email",
    "account_change_password",
    "account_reset_password",
    "mfa_activate_totp",
    "notifications:subscribe",
    "set_language",
]


@pytest.mark.parametrize("role", ["visitor", "author", "coordinator"])
def test_posts_without_csrf_token_are_refused(world: World, db, role: str):
    """Every state-changing URL refuses a POST without a CSRF token (403), whoever sends it."""
    client = world.client(role, csrf=True)
    targets = [
        reverse(row.name, kwargs=row.kwargs(world, "consultation" if row.per_state else None))
        for row in MATRIX
        if row.method == "POST"
    ] + [reverse(name) for name in EXTRA_POSTS]
    wrong = []
    for url in targets:
        with transaction.atomic():
            response = client.post(url, {"x": "1"})
            transaction.set_rollback(True)
        if response.status_code != 403 or "CSRF" not in response.content.decode():
            wrong.append(f"{url}: {response.status_code}")
    assert not wrong, "POST without CSRF token not refused:\n" + "\n".join(wrong)
    assert len(targets) >= 35
