import pytest


@pytest.mark.django_db
def test_home_page_renders_in_german(client):
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="de" dir="ltr">' in response.content.decode()


@pytest.mark.django_db
def test_statement_factory_walks_to_published(coordinator):
    from tests.factories import make_statement

    statement = make_statement(state="published")
    assert statement.state == "published"
    assert list(statement.audit_entries.values_list("transition", flat=True)) == [
        "submit",
        "open_vote",
        "close_vote",
        "publish",
    ]
