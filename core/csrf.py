"""A visitor's CSRF token for a cached page, without Django's per-character randomness.

django.middleware.csrf.get_token draws each of the 64 characters of a new secret and
its mask with its own SystemRandom.choice (an os.urandom call each): on a cached public
page hit that was the largest single cost, more than the rest of the answer (issue 20,
profiled). `get_token` here keeps Django's contract exactly — the same alphabet and
lengths, the same masking, the same request.META keys that CsrfViewMiddleware reads to
set and renew the cookie — and takes its randomness from one os.urandom call per value.
tests/core/test_csrf_token.py checks that Django's middleware accepts what it makes.
"""

from __future__ import annotations

import secrets

from django.http import HttpRequest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH

_CHARS = CSRF_ALLOWED_CHARS
_INDEX = {char: i for i, char in enumerate(_CHARS)}
# A random byte below _LIMIT becomes the character at its value modulo the alphabet's 62;
# the bytes above are dropped (no bias). bytes.translate does that for all of them at once.
_LIMIT = 256 - 256 % len(_CHARS)
_TABLE = bytes(ord(_CHARS[b % len(_CHARS)]) if b < _LIMIT else 0 for b in range(256))
_DROP = bytes(range(_LIMIT, 256))


def _random_string(length: int = CSRF_SECRET_LENGTH) -> str:
    drawn = b""
    while len(drawn) < length:
        drawn += secrets.token_bytes(length + 8).translate(_TABLE, _DROP)
    return drawn[:length].decode("ascii")


def _mask(secret: str) -> str:
    """Django's _mask_cipher_secret: a fresh mask, the secret shifted by it, mask first."""
    mask = _random_string()
    size = len(_CHARS)
    cipher = "".join(
        _CHARS[(_INDEX[s] + _INDEX[m]) % size] for s, m in zip(secret, mask, strict=True)
    )
    return mask + cipher


def get_token(request: HttpRequest) -> str:
    """As django.middleware.csrf.get_token: the visitor's secret (from the cookie that
    CsrfViewMiddleware.process_request read, or a new one), masked afresh."""
    secret = request.META.get("CSRF_COOKIE")  # checked by CsrfViewMiddleware.process_request
    if secret is None:
        secret = _random_string()
        request.META["CSRF_COOKIE"] = secret
    # Send the cookie (new, or renewed like Django does when a token is used).
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    return _mask(secret)
