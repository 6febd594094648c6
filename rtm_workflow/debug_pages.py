"""The project's own 404 page while DEBUG is on (issue 16).

With DEBUG, Django answers an unknown URL or an `Http404` with its technical page, which
lists every URL pattern: the local demo (`make run`) would show a visitor that instead of
the page production shows. 403 already uses `403.html` in DEBUG; 500 keeps Django's
traceback page, which the developer needs.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, get_urlconf, resolve
from django.urls.base import is_valid_path
from django.views.defaults import page_not_found


class ProjectNotFoundPageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.DEBUG and not self._resolves(request):
            return page_not_found(request, Http404(request.path_info))
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if settings.DEBUG and isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None

    @staticmethod
    def _resolves(request: HttpRequest) -> bool:
        urlconf = getattr(request, "urlconf", None) or get_urlconf()
        try:
            resolve(request.path_info, urlconf)
        except Resolver404:
            # CommonMiddleware redirects "/path" to "/path/" when only the latter exists.
            path = request.path_info
            return (
                settings.APPEND_SLASH
                and not path.endswith("/")
                and is_valid_path(path + "/", urlconf)
            )
        return True
