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
from django.views.defaults import page_not_found


class ProjectNotFoundPageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # A URL that matched no pattern leaves no resolver_match (Django sets it when it
        # resolves the URL for the view): the handler's one resolution tells us, so this
        # middleware never resolves the path a second time (issue 20).
        if (
            settings.DEBUG
            and response.status_code == 404
            and getattr(request, "resolver_match", None) is None
        ):
            return page_not_found(request, Http404(request.path_info))
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if settings.DEBUG and isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None
