"""Pages travel compressed to browsers that ask for it; conditional GET still works."""

from __future__ import annotations

import gzip

import pytest
from django.test import Client

from discussion.services import comment_create

pytestmark = pytest.mark.django_db


def test_member_page_with_a_long_discussion_is_compressed(in_consultation, member, client_for):
    for i in range(40):
        comment_create(statement=in_consultation, author=member, body=f"Kommentar {i}")
    client = client_for(member)
    plain = client.get(in_consultation.get_absolute_url())
    packed = client.get(in_consultation.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    text = gzip.decompress(packed.content).decode()
    assert "Kommentar 39" in text
    assert len(packed.content) * 4 < len(plain.content)


@pytest.mark.parametrize("url", ["/statements/{slug}/", "/api/statements/", "/statements/feed/"])
def test_compressed_public_responses_still_revalidate(published, url):
    url = url.format(slug=published.slug)
    client = Client()
    first = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert first.status_code == 200 and first["Content-Encoding"] == "gzip"
    # The compressed copy carries a weak validator; sending it back still means "unchanged".
    assert first["ETag"].startswith('W/"')
    again = client.get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
