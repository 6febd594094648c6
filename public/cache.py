"""Caching of public pages. core.pagecache.invalidate_public_pages() is called on publish,
retract, co-signing and every change to a name the public sees.

One number in the cache, the *public generation* (core/pagecache.py), names the current state of
everything the public sees. Cached pages are stored under keys that contain it,
and ETag/Last-Modified are derived from it, so bumping it makes every cached page
and every validator a browser holds stale at once without deleting anything (old
entries simply expire). Reading it costs one cache round trip and no SQL.

HTML pages are cached only for anonymous visitors without pending messages; the
CSRF token inside the page (the language switcher is a POST form) is cut out of
the stored copy and a fresh one for the current visitor is put back on every hit.
Feeds, the API and the sitemap are the same for everyone and cached for everyone.

Only canonical URLs are stored (public/canonical.py decides per page): the key is the
path plus the canonical query, and anything else is rendered without being stored.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import get_language

from core.csrf import get_token
from core.pagecache import (
    EXPIRY_KEY,
    GENERATION_KEY,
    CacheDown,
    generation,
    recent_generation,
    remember_generation,
)
from public.middleware import FAST_PREFIX, fast_key, fast_suffix, may_be_anonymous_only

logger = logging.getLogger(__name__)
T = TypeVar("T")

PAGE_TIMEOUT = 24 * 60 * 60
CSRF_PLACEHOLDER = "__PUBLIC_CACHE_CSRF_TOKEN__"
_CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def _get(key: str) -> Any:
    try:
        return cache.get(key)
    except Exception:
        logger.warning("public page cache unavailable", exc_info=True)
        return None


def _set(key: str, value: Any, timeout: int) -> None:
    try:
        cache.set(key, value, timeout)
    except Exception:
        logger.warning("public page cache unavailable", exc_info=True)


SEARCH_TIMEOUT = 60 * 60
FACTS_TIMEOUT = PAGE_TIMEOUT

# A page's canonical query string ("" for none) or None: this query is not canonical.
Canonical = Callable[[QueryDict], "str | None"]


def no_parameters(query: QueryDict) -> str | None:
    """For pages that take no query parameters: only the bare URL is canonical."""
    return "" if not query else None


def shared(name: str, compute: Callable[[], T]) -> T:
    """A value derived from what the public sees, computed once per public generation.

    Serves the canonical-query checks (which topics and years exist) without SQL on a
    cache hit; computed directly when the cache is down.
    """
    try:
        key = f"public:shared:{name}:{generation()}"
    except CacheDown:
        return compute()
    value = _get(key)
    if value is None:
        value = compute()
        _set(key, value, FACTS_TIMEOUT)
    return value


def keep_out_of_cache(response: HttpResponse) -> HttpResponse:
    """Let a view say, after rendering, that this answer must not be shared (e.g. it
    clamped a page number that does not exist to the last page)."""
    response.public_cache_skip = True  # type: ignore[attr-defined]
    return response


def _storable(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not getattr(response, "public_cache_skip", False)
    )


def _key(kind: str, request: HttpRequest, gen: int, query: str) -> str:
    """Keyed by the canonical query, so `?page=1` and the bare URL share one copy."""
    url = f"{request.path}?{query}"
    digest = hashlib.sha256(url.encode()).hexdigest()[:32]
    return f"public:{kind}:{gen}:{get_language() or ''}:{digest}"


def _validators(kind: str, request: HttpRequest, gen: int, query: str) -> tuple[str, float]:
    tag = hashlib.sha256(_key(kind, request, gen, query).encode()).hexdigest()[:24]
    # Weak: HTML pages differ per visitor in the CSRF token only.
    return f'W/"{tag}"', gen / 1_000_000_000


def _finish(response: HttpResponse, etag: str, last_modified: float) -> HttpResponse:
    response.headers["ETag"] = etag
    response.headers["Last-Modified"] = http_date(last_modified)
    # Browsers may keep a copy but must ask again; the answer is usually a 304.
    patch_cache_control(response, no_cache=True)
    return response


def anonymous_cacheable(request: HttpRequest) -> bool:
    """May this request get (and fill) the shared anonymous copy of a page?"""
    if request.method not in ("GET", "HEAD"):
        return False
    user = getattr(request, "user", None)
    if user is None or user.is_authenticated:
        return False
    # Pending flash messages are shown once, in an uncached page.
    return len(get_messages(request)) == 0


def cached_page(
    request: HttpRequest,
    render: Callable[[], HttpResponse],
    *,
    canonical: Canonical = no_parameters,
) -> HttpResponse:
    """Serve an HTML page from the anonymous page cache, rendering it on a miss.

    Authenticated people get a fresh rendering (they may see more, e.g. the panel).
    `canonical` names the query strings worth sharing; any other URL (an unknown topic,
    a year without papers, tracking tags, random junk) is rendered but never stored, so
    nobody can fill the cache with endless variants of one page.
    """
    query = canonical(request.GET) if anonymous_cacheable(request) else None
    if query is None:
        response = render()
        patch_cache_control(response, private=True, no_cache=True)
        return response
    try:
        gen = generation()
    except CacheDown:
        logger.warning("public page cache unavailable; rendering uncached", exc_info=True)
        return render()
    etag, last_modified = _validators("page", request, gen, query)
    not_modified = get_conditional_response(request, etag=etag, last_modified=int(last_modified))
    if not_modified is not None:
        return _finish(not_modified, etag, last_modified)
    key = _key("page", request, gen, query)
    stored: dict[str, Any] | None = _get(key)
    timeout = SEARCH_TIMEOUT if QueryDict(query).get("q") else PAGE_TIMEOUT
    if stored is not None:
        if getattr(request, "public_fast_miss", False):
            _store_fast(request, gen, stored, etag, last_modified, timeout)
        response = HttpResponse(
            with_token(stored, get_token(request)), content_type=stored["content_type"]
        )
        return _finish(response, etag, last_modified)
    response = render()
    if _storable(response):
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        charset = response.charset or "utf-8"
        content = _CSRF_INPUT.sub(
            rf"\g<1>{CSRF_PLACEHOLDER}\g<2>", response.content.decode(charset)
        )
        stored = {"content": content, "content_type": response["Content-Type"]}
        _set(key, stored, timeout)
        if may_be_anonymous_only(request):
            _store_fast(request, gen, stored, etag, last_modified, timeout)
        _finish(response, etag, last_modified)
    return response


def with_token(stored: dict[str, Any], token: str) -> bytes:
    """The stored page's bytes with this visitor's CSRF token in place of the placeholder.
    The page is split at the placeholder once (kept on the dict, which this process's
    memory keeps for the next hits), so a hit joins bytes instead of searching and
    re-encoding the whole page."""
    parts = stored.get("_parts")
    if parts is None:
        parts = stored["_parts"] = [
            piece.encode(settings.DEFAULT_CHARSET)
            for piece in stored["content"].split(CSRF_PLACEHOLDER)
        ]
    return token.encode().join(parts)


def _store_fast(
    request: HttpRequest, gen: int, stored: dict[str, Any], etag: str, lm: float, timeout: int
) -> None:
    """The copy public.middleware finds before session and auth, under the raw URL."""
    fast = {**stored, "etag": etag, "last_modified": lm}
    # A page that goes out of date by the clock (the home page's next meeting ends) must
    # not outlive that moment here: the early path reads the generation without the
    # expiry check that bumps it (core.pagecache.generation).
    expires = _expiry_of(gen)
    if expires is not None:
        fast["expires_at"] = expires
        timeout = max(1, min(timeout, int(expires - timezone.now().timestamp()) + 1))
    _set(fast_key(request, gen), fast, timeout)


def _expiry_of(gen: int) -> float | None:
    """The moment pages of generation `gen` go out of date by themselves, if one is set."""
    try:
        current = cache.get(EXPIRY_KEY)
    except Exception:  # noqa: BLE001 - no cache: then nothing is stored either
        return None
    return float(current[1]) if current and current[0] == gen else None


def _fresh(stored: Any) -> Any:
    expires = stored.get("expires_at") if stored is not None else None
    if expires is not None and timezone.now().timestamp() >= expires:
        return None  # the full stack bumps the generation and renders anew
    return stored


# The early copies this process served last, by generation and fast_suffix: a hit then
# needs no round trip to Redis at all (on a busy machine each one waits for the scheduler).
# Bounded: LOCAL_PAGES pages of typically 20–50 KB per worker process.
LOCAL_PAGES = 128
_local: OrderedDict[tuple[int, str], Any] = OrderedDict()
_local_lock = threading.Lock()


def _local_get(gen: int, suffix: str) -> Any:
    with _local_lock:
        stored = _local.get((gen, suffix))
        if stored is not None:
            _local.move_to_end((gen, suffix))
        return stored


def _local_put(gen: int, suffix: str, stored: Any) -> None:
    with _local_lock:
        _local[(gen, suffix)] = stored
        while len(_local) > LOCAL_PAGES:
            _local.popitem(last=False)


def fast_lookup(request: HttpRequest, choose_language: Callable[[HttpRequest], None]) -> Any:
    """The copy of this exact URL stored for anonymous readers (public.middleware), or None.

    Within RECENT_SECONDS of reading the generation, from this process's own memory;
    otherwise generation and page in one Redis round trip (or two reads on other caches).
    """
    choose_language(request)
    suffix = fast_suffix(request)
    gen = recent_generation()
    if gen is not None:
        stored = _fresh(_local_get(gen, suffix))
        if stored is not None:
            return stored
    chained = getattr(cache, "get_chained", None)
    if chained is not None:  # Redis: generation and page in one round trip
        try:
            gen, stored = chained(GENERATION_KEY, FAST_PREFIX, suffix)
        except Exception:  # any backend error means "no cache": the full stack renders
            logger.warning("public page cache unavailable", exc_info=True)
            return None
    else:
        try:
            gen = generation()
        except CacheDown:
            return None
        stored = _get(f"{FAST_PREFIX}{gen}{suffix}")
    if gen is None:
        return None
    stored = _fresh(stored)
    remember_generation(gen)
    if stored is not None:
        _local_put(gen, suffix, stored)
    return stored


def cached_response(
    request: HttpRequest,
    render: Callable[[], HttpResponse],
    *,
    canonical: Canonical = no_parameters,
) -> HttpResponse:
    """Cache a response that is the same for everyone (feed, API, sitemap), keeping headers."""
    query = canonical(request.GET) if request.method in ("GET", "HEAD") else None
    if query is None:
        return render()
    try:
        gen = generation()
    except CacheDown:
        logger.warning("public page cache unavailable; rendering uncached", exc_info=True)
        return render()
    etag, last_modified = _validators("doc", request, gen, query)
    not_modified = get_conditional_response(request, etag=etag, last_modified=int(last_modified))
    if not_modified is not None:
        return _finish(not_modified, etag, last_modified)
    key = _key("doc", request, gen, query)
    stored: dict[str, Any] | None = _get(key)
    if stored is not None:
        response = HttpResponse(stored["content"], status=200)
        for name, value in stored["headers"]:
            response.headers[name] = value
        return _finish(response, etag, last_modified)
    response = render()
    if _storable(response):
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        headers = [(k, v) for k, v in response.headers.items() if k.lower() != "set-cookie"]
        _set(key, {"content": response.content, "headers": headers}, PAGE_TIMEOUT)
        _finish(response, etag, last_modified)
    return response
