"""Flood limits on what members write: comments, replies, edits, suggestions, mentions.

A fixed-window counter per person, action and window in the cache (Redis in production,
LocMemCache in the tests; with DummyCache nothing is limited, like allauth's limits).
Rates are settings in allauth's syntax without the "per" part: "10/m,100/h" means at most
10 a minute and 100 an hour. A fixed window lets a burst of up to twice a rate through
across a window boundary; that is enough to stop a flood and costs two cache calls.

allauth's limiter (allauth.core.ratelimit) stays for the account pages it was made for:
it reads only allauth's settings, counts one hit per call (a mention batch needs N) and
says in its own source that it is meant to become internal.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from core.errors import ServiceError

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# The clock the windows are cut from (tests pin it so no window turns mid-test).
clock = time.time


@dataclass(frozen=True)
class Rate:
    amount: int
    seconds: int


def parse_rates(text: str) -> list[Rate]:
    """Parse `10/m,100/h` into [Rate(10, 60), Rate(100, 3600)]; `30/10m` is 30 in 10 minutes."""
    rates = []
    for part in (text or "").split(","):
        if not part.strip():
            continue
        amount, _sep, period = part.strip().partition("/")
        unit = period[-1:]
        if unit not in UNITS:
            raise ValueError(f"bad rate {part!r}: the period ends in s, m, h or d")
        rates.append(Rate(int(amount), int(period[:-1] or 1) * UNITS[unit]))
    return rates


class RateLimited(ServiceError):  # named like allauth's and Django's refusals
    """Too many writes of one kind by one person in a short time (HTTP 429)."""

    status = 429

    def __init__(self, action: str, retry_after: int, message: Any = None) -> None:
        super().__init__(
            message or _("Zu viele Beiträge in kurzer Zeit. Bitte warten Sie einen Moment.")
        )
        self.action = action
        self.retry_after = retry_after


def _key(action: str, user_pk: int | str, rate: Rate, window: int) -> str:
    return f"rtm:rl:{action}:{user_pk}:{rate.amount}/{rate.seconds}:{window}"


def client_address(request: Any) -> str:
    """The client's address: REMOTE_ADDR, or behind BEHIND_PROXY the entry of
    X-Forwarded-For that the trusted proxies added (as allauth counts its limits)."""
    proxies = getattr(settings, "ALLAUTH_TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return request.META.get("REMOTE_ADDR", "")


def consume_request(request: Any, action: str, *, message: Any = None) -> None:
    """consume() for a reading request: per person when signed in, else per client address."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        consume(action, user, message=message)
    else:
        consume(action, None, who=f"ip:{client_address(request)}", message=message)


def consume(
    action: str, user: Any, *, amount: int = 1, message: Any = None, who: str | None = None
) -> None:
    """Count `amount` writes of `action` by `user`, or raise RateLimited and count nothing.

    The rates are settings.RTM_RATE_LIMITS[action]; an action without rates is unlimited.
    `who` names somebody without an account (a client address) instead of `user`.
    """
    pk = getattr(user, "pk", None) or who
    rates = parse_rates(settings.RTM_RATE_LIMITS.get(action, ""))
    if pk is None or amount <= 0 or not rates:
        return
    now = clock()
    counted: list[str] = []
    for rate in rates:
        window = int(now // rate.seconds)
        key = _key(action, pk, rate, window)
        # add + incr are atomic on Redis and LocMemCache; the key expires with its window.
        cache.add(key, 0, timeout=rate.seconds + 1)
        try:
            total = cache.incr(key, amount)
        except ValueError:  # the window expired between add and incr
            cache.set(key, amount, timeout=rate.seconds + 1)
            total = amount
        counted.append(key)
        if total > rate.amount:
            # A refused write does not count: the person can send it once the window turns.
            for done in counted:
                try:
                    cache.decr(done, amount)
                except ValueError:
                    pass
            retry_after = max(1, int((window + 1) * rate.seconds - now))
            raise RateLimited(action, retry_after, message)
