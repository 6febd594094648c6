"""Security middleware: request size limits, no multipart bodies, two-factor authentication.

All sit in MIDDLEWARE (see settings). They run before any view reads the body, so an
oversized POST is refused before CSRF or form parsing touch it, and a coordinator without
a TOTP authenticator never reaches an internal page.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.permissions import is_coordinator

Middleware = Callable[[HttpRequest], HttpResponse]


def max_body_bytes(request: HttpRequest) -> int:
    """The largest body we read: form posts get Django's limit, uploads a larger one."""
    content_type = request.META.get("CONTENT_TYPE", "")
    if content_type.startswith("multipart/form-data"):
        return settings.RTM_MAX_UPLOAD_BYTES
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class RequestSizeLimitMiddleware:
    """Answer 413 with a readable page when the declared body is larger than we accept.

    Django itself raises RequestDataTooBig (a 400) only once a view reads request.POST;
    checking Content-Length first gives the right status and never reads the body.
    Bodies without a Content-Length (chunked) still meet Django's own limit.
    """

    def __init__(self, get_response: Middleware) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(raw)
        except ValueError:
            return render(request, "400.html", status=400)
        limit = max_body_bytes(request)
        if length > limit:
            return render(
                request,
                "413.html",
                {"limit_kb": limit // 1000},
                status=413,
            )
        return self.get_response(request)


class RefuseNulMiddleware:
    """Answer 400 when the path or a query parameter carries a NUL character.

    PostgreSQL cannot store or compare text with NUL, so such a value reaching any lookup
    (a search, a topic filter, a token, the admin's search) was a 500. Form fields refuse
    it themselves (Django's ProhibitNullCharactersValidator); this covers the rest.
    """

    def __init__(self, get_response: Middleware) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any(
            "\x00" in name or any("\x00" in value for value in values)
            for name, values in request.GET.lists()
        ):
            return render(request, "400.html", status=400)
        return self.get_response(request)


def accepts_files(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a view that takes file uploads: only such views get multipart bodies."""
    view.accepts_files = True  # type: ignore[attr-defined]
    return view


class RefuseMultipartMiddleware:
    """415 for a multipart body sent to a view that takes no files (only public:verify does).

    Browsers send forms without a file input urlencoded (and so does htmx), so only a
    crafted request is refused. Django would otherwise parse the body and spool any file
    part to disk up to RTM_MAX_UPLOAD_BYTES, on every endpoint. In MIDDLEWARE before
    CsrfViewMiddleware, whose process_view is the first thing that reads request.POST.
    """

    def __init__(self, get_response: Middleware) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., HttpResponse], args: object, kwargs: object
    ) -> HttpResponse | None:
        content_type = request.META.get("CONTENT_TYPE", "").lower()
        if content_type.startswith("multipart/") and not getattr(view, "accepts_files", False):
            return render(request, "415.html", status=415)
        return None


# Paths a coordinator without two-factor authentication may still reach: setting it up
# (allauth's MFA and account pages, including logout and re-authentication), switching
# the language, the health check and static files.
MFA_EXEMPT_PREFIXES: tuple[str, ...] = (
    "/accounts/",
    "/i18n/",
    "/healthz",
    "/static/",
    "/media/",
)


def mfa_required_for(user: object) -> bool:
    """Coordinators and staff must use TOTP two-factor authentication."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(is_coordinator(user) or getattr(user, "is_staff", False))


def has_totp(user: object) -> bool:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import is_mfa_enabled

    return is_mfa_enabled(user, [Authenticator.Type.TOTP])


class RequireMFAMiddleware:
    """Send coordinators and admins without an activated TOTP authenticator to its set-up.

    Off when settings.RTM_MFA_REQUIRED is false (the default with DEBUG on, so the demo
    and the test suite can sign in as a coordinator without an authenticator app).
    Costs one query per request, only for coordinators and staff.
    """

    def __init__(self, get_response: Middleware) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.RTM_MFA_REQUIRED
            and not request.path.startswith(MFA_EXEMPT_PREFIXES)
            and mfa_required_for(getattr(request, "user", None))
            and not has_totp(request.user)
        ):
            messages.warning(
                request,
                _(
                    "Für Koordination und Administration ist die Zwei-Faktor-Anmeldung "
                    "Pflicht. Bitte richten Sie zuerst eine Authenticator-App ein."
                ),
            )
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400: a body too big for Django's own limits is a 413, everything else a 400.

    Reached for multipart posts whose form fields (not files) exceed
    DATA_UPLOAD_MAX_MEMORY_SIZE, and for too many fields (TooManyFieldsSent).
    """
    from django.core.exceptions import RequestDataTooBig
    from django.template import loader

    if isinstance(exception, RequestDataTooBig):
        context = {"limit_kb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1000}
        return HttpResponse(loader.render_to_string("413.html", context), status=413)
    return HttpResponse(loader.render_to_string("400.html"), status=400)
