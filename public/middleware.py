"""Serve a cached public page before the session, auth and message middleware run.

A cached anonymous hit through the whole stack spent most of its time in middleware
that has nothing to do for an anonymous reader: loading (no) session, resolving the
URL, building an AnonymousUser, checking messages, MFA, htmx (issue 20: the cached
statement page reached 0.25–0.37× a static file's rate). This middleware sits right
after Security/CSP/WhiteNoise/GZip, so every answer still gets the security headers,
the CSP and compression, and answers a GET from the page cache when the request
can only be anonymous: no session cookie, no pending-messages cookie, no htmx, no
Authorization header. Everything else (a signed-in member, anyone with a session, a
miss) goes down the full stack as before.

Stored by public.cache.cached_page: when it stores a page for such a request it also
stores a copy under a key of the raw path and query, host, language and public
generation (`fast_key`), so this lookup needs no URL resolution and no canonical-query
check: only URLs that the full stack accepted and stored are ever found here. A worker
keeps the generation for a second and its last early copies in memory (public.cache.
fast_lookup), so most hits make no round trip to Redis at all. The
language is chosen exactly as LocaleMiddleware and accounts' UserLanguageMiddleware
would (Accept-Language, then the language cookie); the CSRF token in the page is a
fresh one for this visitor, with the cookie set by Django's own CsrfViewMiddleware;
Vary says Cookie and Accept-Language as the full stack does.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from accounts.middleware import _supported
from core.csrf import get_token

MESSAGES_COOKIE = "messages"  # django.contrib.messages' CookieStorage


def _not_used(request: HttpRequest) -> HttpResponse:  # pragma: no cover - never called
    raise AssertionError("the fast path calls only process_request/process_response")


_locale = LocaleMiddleware(_not_used)
_csrf = CsrfViewMiddleware(_not_used)


def may_be_anonymous_only(request: HttpRequest) -> bool:
    """Can this request be nothing but an anonymous reader's GET of a public page?"""
    if request.method != "GET":  # HEAD and the rest take the full stack
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or MESSAGES_COOKIE in cookies:
        return False
    meta = request.META
    return "HTTP_HX_REQUEST" not in meta and "HTTP_AUTHORIZATION" not in meta


FAST_PREFIX = "public:fast:"


def fast_suffix(request: HttpRequest) -> str:
    """Active language, host and raw path and query (as sent): the key after the generation."""
    raw = f"{request.get_host()}|{request.get_full_path()}"
    digest = hashlib.sha256(raw.encode()).hexdigest()[:32]
    return f":{translation.get_language() or ''}:{digest}"


def fast_key(request: HttpRequest, gen: int) -> str:
    return f"{FAST_PREFIX}{gen}{fast_suffix(request)}"


def choose_language(request: HttpRequest) -> None:
    """What LocaleMiddleware and then UserLanguageMiddleware decide for an anonymous reader."""
    _locale.process_request(request)
    language = _supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
    if language is not None:
        translation.activate(language)
        request.LANGUAGE_CODE = language


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if may_be_anonymous_only(request):
            response = self._from_cache(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _from_cache(self, request: HttpRequest) -> HttpResponse | None:
        from public import cache as page_cache  # the public app's cache module

        # get_host() raises DisallowedHost for a host we do not serve: leave that answer
        # (a 400) to the full stack.
        try:
            request.get_host()
        except Exception:  # noqa: BLE001
            return None
        stored: dict[str, Any] | None = page_cache.fast_lookup(request, choose_language)
        if stored is None:
            # cached_page copies the page here if the full stack finds or renders it.
            request.public_fast_miss = True  # type: ignore[attr-defined]
            return None
        request.public_fast_hit = True  # type: ignore[attr-defined]
        etag, last_modified = stored["etag"], stored["last_modified"]
        response = get_conditional_response(request, etag=etag, last_modified=int(last_modified))
        if response is None:
            _csrf.process_request(request)  # the visitor's CSRF cookie, if any
            response = HttpResponse(
                page_cache.with_token(stored, get_token(request)),
                content_type=stored["content_type"],
            )
        response.headers["ETag"] = etag
        response.headers["Last-Modified"] = http_date(last_modified)
        response.headers["Cache-Control"] = "no-cache"
        # What the skipped middleware adds to the same page through the full stack.
        _csrf.process_response(request, response)
        _locale.process_response(request, response)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        if response.status_code == 200:
            response.headers["Content-Length"] = str(len(response.content))
        return response
