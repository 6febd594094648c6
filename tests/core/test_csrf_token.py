"""core/csrf.py: the fast CSRF token of cached pages must be one Django accepts.

End to end (a cached page's token posted back through CsrfViewMiddleware, another
visitor's refused) in tests/public/test_fast_page_cache.py; here the token itself.
"""

from __future__ import annotations

from collections import Counter

from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CSRF_SECRET_LENGTH,
    CSRF_TOKEN_LENGTH,
    _does_token_match,
)
from django.test import RequestFactory

from core.csrf import _random_string, get_token


def test_a_new_visitor_gets_a_secret_for_the_cookie_and_a_masked_token_for_it():
    request = RequestFactory().get("/")
    token = get_token(request)
    secret = request.META["CSRF_COOKIE"]
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
    assert len(secret) == CSRF_SECRET_LENGTH and len(token) == CSRF_TOKEN_LENGTH
    assert set(secret + token) <= set(CSRF_ALLOWED_CHARS)
    assert secret not in token  # masked, never the secret itself
    assert _does_token_match(token, secret)


def test_a_returning_visitor_keeps_their_secret_and_each_page_gets_a_new_mask():
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = "a" * CSRF_SECRET_LENGTH
    first, second = get_token(request), get_token(request)
    assert first != second
    assert _does_token_match(first, "a" * CSRF_SECRET_LENGTH)
    assert _does_token_match(second, "a" * CSRF_SECRET_LENGTH)
    assert not _does_token_match(first, "b" * CSRF_SECRET_LENGTH)


def test_every_character_is_drawn_evenly():
    counts = Counter("".join(_random_string() for _ in range(2000)))
    assert set(counts) == set(CSRF_ALLOWED_CHARS)
    expected = 2000 * CSRF_SECRET_LENGTH / len(CSRF_ALLOWED_CHARS)  # ~1032 each
    assert all(0.8 * expected < n < 1.2 * expected for n in counts.values())
