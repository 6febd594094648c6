import pytest

pytestmark = pytest.mark.django_db


def test_pages_render(client_for, draft, author):
    c = client_for(author)
    for url in [
        "/dashboard/",
        "/statements/new/",
        f"/statements/{draft.slug}/",
        f"/statements/{draft.slug}/edit/",
        f"/statements/{draft.slug}/history/",
        f"/statements/{draft.slug}/diff/1/1/",
        f"/statements/{draft.slug}/revisions/1/",
        f"/statements/{draft.slug}/coauthors/",
    ]:
        r = c.get(url)
        assert r.status_code == 200, (url, r.status_code)
