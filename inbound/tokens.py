"""The signed reply address: `reply+<token>@<RTM_REPLY_DOMAIN>`, one per recipient and
target, so a reply says who answers to what without any lookup table.

token = <target code><target id>-<user id>-<expiry day>-<signature>, numbers in base 36,
the signature an HMAC-SHA256 (keyed from SECRET_KEY with a salt of its own) over the rest,
truncated to 130 bits and written in lower-case base 32: mail servers may fold the case
of a local part, and `+` subaddressing delivers it to the `reply@` mailbox. The longest
token (ids up to 36^6, ~2 billion) keeps the local part well under RFC 5321's 64 chars.
"""

from __future__ import annotations

import base64
import hmac
import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac

LOCAL_PREFIX = "reply+"
_SALT = "inbound.reply-address"
_EPOCH = date(2020, 1, 1)
_TOKEN = re.compile(r"^([a-z])([0-9a-z]+)-([0-9a-z]+)-([0-9a-z]+)-([a-z2-7]{26})$")


@dataclass(frozen=True)
class ReplyToken:
    user_id: int
    target: str  # one-letter code of a registered reply target (inbound.targets)
    target_id: int
    expires: date


class TokenInvalid(Exception):
    """Not one of ours: malformed or the signature does not match."""


class TokenExpired(Exception):
    """Ours, but past its expiry day."""

    def __init__(self, token: ReplyToken) -> None:
        super().__init__("expired")
        self.token = token


def _b36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out


def _sign(payload: str) -> str:
    mac = salted_hmac(_SALT, payload, algorithm="sha256").digest()[:17]
    return base64.b32encode(mac).decode().lower().rstrip("=")[:26]


def make_token(
    *, user_id: int, target: str, target_id: int, today: date | None = None, days: int | None = None
) -> str:
    today = today or timezone.localdate()
    expires = today + timedelta(days=days or settings.RTM_REPLY_TOKEN_DAYS)
    payload = f"{target}{_b36(target_id)}-{_b36(user_id)}-{_b36((expires - _EPOCH).days)}"
    return f"{payload}-{_sign(payload)}"


def reply_address(*, user_id: int, target: str, target_id: int, days: int | None = None) -> str:
    """The Reply-To address for this recipient and target ("" when replies are off).
    `user_id` 0 names a reader without an account (an outside subscriber of the list):
    their reply is answered with a friendly refusal (inbound.services)."""
    domain = settings.RTM_REPLY_DOMAIN
    if not domain:
        return ""
    token = make_token(user_id=user_id, target=target, target_id=target_id, days=days)
    return f"{LOCAL_PREFIX}{token}@{domain}"


def read_token(token: str, *, today: date | None = None) -> ReplyToken:
    """The verified token; TokenInvalid for anything forged, TokenExpired when too old."""
    match = _TOKEN.match(token.strip().lower())
    if match is None:
        raise TokenInvalid(token)
    code, target_id, user_id, day, signature = match.groups()
    payload = f"{code}{target_id}-{user_id}-{day}"
    if not hmac.compare_digest(_sign(payload), signature):
        raise TokenInvalid(token)
    parsed = ReplyToken(
        user_id=int(user_id, 36),
        target=code,
        target_id=int(target_id, 36),
        expires=_EPOCH + timedelta(days=int(day, 36)),
    )
    if parsed.expires < (today or timezone.localdate()):
        raise TokenExpired(parsed)
    return parsed


def token_in_address(address: str) -> str | None:
    """The token of `reply+<token>@<RTM_REPLY_DOMAIN>`, else None."""
    local, _, domain = address.strip().strip("<>").rpartition("@")
    if not settings.RTM_REPLY_DOMAIN or domain.lower() != settings.RTM_REPLY_DOMAIN.lower():
        return None
    if not local.lower().startswith(LOCAL_PREFIX):
        return None
    return local[len(LOCAL_PREFIX) :]


__all__ = ["ReplyToken", "TokenExpired", "TokenInvalid"]
