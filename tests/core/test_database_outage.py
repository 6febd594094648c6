"""Database restarts are invisible; a real outage is a 503 that gives back the text
(issue 21, item 6)."""

from __future__ import annotations

import psycopg
import pytest
from django.core.signals import request_finished, request_started
from django.db import OperationalError, connection

from tests.factories import make_statement
from tests.realservices import require_postgres


def _connection_lost(execute, sql, params, many, context):
    if sql.lstrip().upper().startswith(("INSERT", "UPDATE")):
        raise OperationalError("server closed the connection unexpectedly")
    return execute(sql, params, many, context)


@pytest.fixture
def no_raise(client_for):
    def make(user):
        client = client_for(user)
        client.raise_request_exception = False
        return client

    return make


@pytest.mark.django_db
def test_a_comment_written_during_an_outage_comes_back_on_a_503_page(
    in_consultation, member, no_raise
):
    client = no_raise(member)
    text = "Mein langer Kommentar <script>alert(1)</script> mit Umlauten: äöü"
    with connection.execute_wrapper(_connection_lost):
        response = client.post(f"/statements/{in_consultation.slug}/comments/", {"body": text})
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Kurz nicht erreichbar" in page
    # Given back to copy, escaped; never the CSRF token.
    assert "Mein langer Kommentar &lt;script&gt;alert(1)&lt;/script&gt; mit Umlauten: äöü" in page
    assert "<script>" not in page and "csrfmiddlewaretoken" not in page


@pytest.mark.django_db
def test_a_vote_and_an_edit_during_an_outage_come_back_too(member, author, no_raise):
    paper = make_statement(author=author, state="voting")
    voter, writer = no_raise(member), no_raise(author)
    with connection.execute_wrapper(_connection_lost):
        vote = voter.post(
            f"/statements/{paper.slug}/vote/", {"choice": "no", "reason": "Zu unkonkret"}
        )
    assert vote.status_code == 503 and vote["Retry-After"]
    assert "Zu unkonkret" in vote.content.decode() and "Ihre Stimme" in vote.content.decode()

    draft = make_statement(author=author, state="draft")
    edit = {
        "title": draft.title,
        "occasion": draft.occasion,
        "summary": draft.summary,
        "body": "Ganz neuer Absatz, den niemand verlieren soll.",
        "message": "Überarbeitet",
        "base_revision": draft.current_revision_id,
        "language": "de",
    }
    with connection.execute_wrapper(_connection_lost):
        response = writer.post(f"/statements/{draft.slug}/edit/", edit)
    assert response.status_code == 503
    assert "Ganz neuer Absatz, den niemand verlieren soll." in response.content.decode()


def test_other_errors_stay_a_plain_500(rf):
    from rtm_workflow.outage import server_error

    request = rf.post("/x/", {"body": "Text"})
    try:
        raise RuntimeError("a bug")
    except RuntimeError:
        response = server_error(request)
    assert response.status_code == 500 and "Retry-After" not in response
    assert "Text" not in response.content.decode().split("<main", 1)[1]
    try:
        raise OperationalError("the database system is starting up")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503 and response["Retry-After"] == "30"


@pytest.mark.django_db(transaction=True)
def test_a_connection_killed_while_idle_is_replaced_at_the_next_request():
    """PostgreSQL restarted between two requests of a gunicorn worker: with health checks
    the persistent connection is tested at the next request's first query and replaced."""
    require_postgres()
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    connection.settings_dict["CONN_MAX_AGE"] = 60
    connection.close()  # the next connection lives 60 s, like a gunicorn worker's
    try:
        request_started.send(sender=None)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            (pid,) = cursor.fetchone()
        request_finished.send(sender=None)
        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        params.pop("context", None)
        params.pop("prepare_threshold", None)
        with psycopg.connect(**params, autocommit=True) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])

        request_started.send(sender=None)
        with connection.cursor() as cursor:  # no OperationalError: a fresh connection
            cursor.execute("SELECT pg_backend_pid()")
            assert cursor.fetchone()[0] != pid
        request_finished.send(sender=None)
    finally:
        connection.settings_dict["CONN_MAX_AGE"] = 0
        connection.close()
