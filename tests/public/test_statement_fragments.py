"""The public reading page's fragments (public/views.py published_statement).

A signed-in reader who is not a member of the paper gets the page's head and body from
a fragment kept per public generation and language, inside their own header. What they
would notice if it were wrong: someone else's header, yesterday's state of the paper
after a retraction, the wrong language, or no saving at all.
"""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import MembershipStatus
from tests.factories import UserFactory
from tests.public.conftest import walk


def reader(**fields):
    """Signed in, not a member: the public reading page, not the members' page."""
    return UserFactory(membership_status=MembershipStatus.REGISTERED, member_since=None, **fields)


def _url(statement) -> str:
    return f"/statements/{statement.slug}/"


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_a_second_reader_gets_the_kept_fragments_inside_their_own_header(
    published, coordinator, client_for
):
    # The coordination looks at the public view first; a registered reader comes next.
    page_one, cold = _get(client_for(coordinator), _url(published) + "?view=public")
    page_two, warm = _get(client_for(reader()), _url(published))
    assert warm <= cold - 5  # ballot, co-signatures, neighbours, versions, mails, meetings
    for page in (page_one, page_two):
        assert "Wir fordern Bargeld." in page and "SHA-256" in page
        assert 'rel="canonical"' in page
    desk = 'href="/coordination/"'
    assert desk in page_one and desk not in page_two


def test_a_retraction_shows_at_once_to_signed_in_readers(published, coordinator, client_for):
    someone = client_for(reader())
    page, _ = _get(someone, _url(published))
    assert "widerrufen" not in page
    walk(published, ["retract"], coordinator=coordinator)
    page, _ = _get(someone, _url(published))
    assert "Diese Stellungnahme wurde am" in page and "widerrufen" in page


def test_fragments_are_kept_per_language(published, client_for):
    german = client_for(reader(language="de"))
    english = client_for(reader(language="en"))
    page_de, _ = _get(german, _url(published))
    page_en, _ = _get(english, _url(published))
    assert "Für die Presse" in page_de and "Für die Presse" not in page_en
    assert "Payment card" in page_en and "Payment card" not in page_de
