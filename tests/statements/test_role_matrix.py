"""Who gets what on every statement page, per role and state, including wrong methods.

One table: (page, state) → status per role. 404 means "you cannot know this paper
exists" (also for anonymous visitors), 403 "you may see it but not do this".
"""

from __future__ import annotations

import pytest

from tests.factories import make_statement

pytestmark = pytest.mark.django_db

ROLES = ["visitor", "registered", "suspended", "member", "author", "coauthor", "coordinator"]

# page → (method, url pattern)
PAGES = {
    "view": ("get", "/statements/{slug}/"),
    "edit": ("get", "/statements/{slug}/edit/"),
    "history": ("get", "/statements/{slug}/history/"),
    "revision": ("get", "/statements/{slug}/revisions/1/"),
    "diff": ("get", "/statements/{slug}/diff/1/2/"),
    "compare": ("get", "/statements/{slug}/compare/?a=1&b=2"),
    "preview": ("post", "/statements/{slug}/preview/"),
    "coauthors": ("get", "/statements/{slug}/coauthors/"),
}

HIDDEN = dict.fromkeys(["visitor", "registered", "suspended"], 404)

EXPECTED: dict[tuple[str, str], dict[str, int]] = {
    # --- draft: only authors and coordinators know it -------------------------------------
    ("view", "draft"): {
        **HIDDEN,
        "member": 404,
        "author": 200,
        "coauthor": 200,
        "coordinator": 200,
    },
    ("edit", "draft"): {
        **HIDDEN,
        "member": 404,
        "author": 200,
        "coauthor": 200,
        "coordinator": 403,
    },
    ("history", "draft"): {
        **HIDDEN,
        "member": 404,
        "author": 200,
        "coauthor": 200,
        "coordinator": 200,
    },
    ("revision", "draft"): {
        **HIDDEN,
        "member": 404,
        "author": 200,
        "coauthor": 200,
        "coordinator": 200,
    },
    ("diff", "draft"): {
        **HIDDEN,
        "member": 404,
        "author": 200,
        "coauthor": 200,
        "coordinator": 200,
    },
    ("compare", "draft"): {
        **HIDDEN,
        "member": 404,
        "author": 302,
        "coauthor": 302,
        "coordinator": 302,
    },
    ("preview", "draft"): {
        **HIDDEN,
        "member": 404,
        "author": 200,
        "coauthor": 200,
        "coordinator": 403,
    },
    ("coauthors", "draft"): {
        **HIDDEN,
        "member": 404,
        "author": 200,
        "coauthor": 403,
        "coordinator": 403,
    },
    # --- consultation: every member reads, authors still edit -----------------------------
    ("view", "consultation"): {
        **HIDDEN,
        "member": 200,
        "author": 200,
        "coauthor": 200,
        "coordinator": 200,
    },
    ("edit", "consultation"): {
        **HIDDEN,
        "member": 403,
        "author": 200,
        "coauthor": 200,
        "coordinator": 403,
    },
    ("history", "consultation"): {
        **HIDDEN,
        "member": 200,
        "author": 200,
        "coauthor": 200,
        "coordinator": 200,
    },
    ("revision", "consultation"): {
        **HIDDEN,
        "member": 200,
        "author": 200,
        "coauthor": 200,
        "coordinator": 200,
    },
    ("diff", "consultation"): {
        **HIDDEN,
        "member": 200,
        "author": 200,
        "coauthor": 200,
        "coordinator": 200,
    },
    ("compare", "consultation"): {
        **HIDDEN,
        "member": 302,
        "author": 302,
        "coauthor": 302,
        "coordinator": 302,
    },
    ("preview", "consultation"): {
        **HIDDEN,
        "member": 403,
        "author": 200,
        "coauthor": 200,
        "coordinator": 403,
    },
    ("coauthors", "consultation"): {
        **HIDDEN,
        "member": 403,
        "author": 200,
        "coauthor": 403,
        "coordinator": 403,
    },
}

WRONG_METHODS = {
    "view": ("post", "/statements/{slug}/"),
    "edit": ("delete", "/statements/{slug}/edit/"),
    "history": ("post", "/statements/{slug}/history/"),
    "revision": ("put", "/statements/{slug}/revisions/1/"),
    "diff": ("post", "/statements/{slug}/diff/1/2/"),
    "preview": ("get", "/statements/{slug}/preview/"),
    "restore": ("get", "/statements/{slug}/revisions/1/restore/"),
    "coauthor_remove": ("get", "/statements/{slug}/coauthors/1/remove/"),
    "coauthors": ("delete", "/statements/{slug}/coauthors/"),
}


@pytest.fixture
def people(request, registered, suspended, member, author, coauthor, coordinator):
    return {
        "visitor": None,
        "registered": registered,
        "suspended": suspended,
        "member": member,
        "author": author,
        "coauthor": coauthor,
        "coordinator": coordinator,
    }


@pytest.fixture(params=["draft", "consultation"])
def paper(request, people):
    from statements.services import TextFields, revision_save

    statement = make_statement(
        author=people["author"], coauthors=[people["coauthor"]], state="draft"
    )
    revision_save(
        statement_id=statement.pk,
        author=people["author"],
        text=TextFields(statement.title, statement.occasion, statement.summary, "Neuer Text."),
        message="zweite Fassung",
        base_revision_id=statement.current_revision_id,
    )
    if request.param == "consultation":
        from tests.factories import advance

        advance(statement, "consultation")
    statement.refresh_from_db()
    assert statement.state == request.param
    return statement


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(page, role, paper, people, client_for):
    method, pattern = PAGES[page]
    client = client_for(people[role])
    url = pattern.format(slug=paper.slug)
    data = {"body": "# Vorschau"} if method == "post" else None
    response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
    assert response.status_code == EXPECTED[(page, paper.state)][role]


@pytest.mark.parametrize("page", list(WRONG_METHODS))
@pytest.mark.parametrize("role", ["visitor", "member", "author", "coordinator"])
def test_wrong_method_is_405_for_everyone(page, role, paper, people, client_for):
    method, pattern = WRONG_METHODS[page]
    response = getattr(client_for(people[role]), method)(pattern.format(slug=paper.slug))
    assert response.status_code == 405


@pytest.mark.parametrize(
    ("role", "expected"),
    [("visitor", 302), ("registered", 403), ("suspended", 403), ("member", 200)],
)
def test_new_page_and_dashboard_need_membership(role, expected, people, client_for):
    client = client_for(people[role])
    assert client.get("/statements/new/").status_code == expected
    assert client.get("/dashboard/").status_code == expected
    preview = client.post("/statements/new/preview/", {"body": "x"})
    assert preview.status_code == expected


def test_unknown_slug_and_published_internal_pages_are_404_for_visitors(client_for, author):
    published = make_statement(author=author, state="published")
    client = client_for(None)
    assert client.get("/statements/gibt-es-nicht/").status_code == 404
    assert client.get(f"/statements/{published.slug}/history/").status_code == 404
    assert client.get(f"/statements/{published.slug}/edit/").status_code == 404
    assert client.get(f"/statements/{published.slug}/diff/1/1/").status_code == 404


@pytest.mark.parametrize("role", ["member", "coordinator", "coauthor"])
def test_restore_and_coauthor_changes_refused(role, paper, people, client_for, member):
    client = client_for(people[role])
    restore = client.post(
        f"/statements/{paper.slug}/revisions/1/restore/",
        {"base_revision": paper.current_revision_id, "confirmed": "1"},
    )
    add = client.post(f"/statements/{paper.slug}/coauthors/", {"user": member.pk})
    hidden = role == "member" and paper.state == "draft"
    if role == "coauthor":
        assert restore.status_code == 302  # co-authors edit like the creator
    else:
        assert restore.status_code == (404 if hidden else 403)
    assert add.status_code == (404 if hidden else 403)


def test_out_of_range_numbers_are_404_not_500(author, client_for, edit_data):
    statement = make_statement(author=author)
    client = client_for(author)
    huge = 10**20
    assert client.get(f"/statements/{statement.slug}/diff/1/{huge}/").status_code == 404
    assert client.get(f"/statements/{statement.slug}/revisions/{huge}/").status_code == 404
    restore = client.post(f"/statements/{statement.slug}/revisions/{huge}/restore/")
    assert restore.status_code == 404
    remove = client.post(f"/statements/{statement.slug}/coauthors/{huge}/remove/")
    assert remove.status_code == 302
    edit = client.post(
        f"/statements/{statement.slug}/edit/", edit_data(statement, base_revision=str(huge))
    )
    assert edit.status_code == 400


def test_suspended_coauthor_loses_access(author, coauthor, client_for):
    statement = make_statement(author=author, coauthors=[coauthor])
    coauthor.membership_status = "suspended"
    coauthor.save()
    client = client_for(coauthor)
    assert client.get(f"/statements/{statement.slug}/").status_code == 404
    assert client.get(f"/statements/{statement.slug}/edit/").status_code == 404
