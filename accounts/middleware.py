"""Choose the interface language: the switch (cookie) first, then the profile.

Runs after LocaleMiddleware and AuthenticationMiddleware. Without a cookie or a signed-in
person, LocaleMiddleware's choice stands (the browser's Accept-Language, else German).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


def _supported(code: str | None) -> str | None:
    if code and code in dict(settings.LANGUAGES):
        return code
    return None


class UserLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = _supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
        user = getattr(request, "user", None)
        if language is None and user is not None and user.is_authenticated:
            language = _supported(user.language)
        if language is not None:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
