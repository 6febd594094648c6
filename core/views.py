from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core.health import check_broker, check_database, may_see_health_details


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 or 503 for everyone; which part failed (and how) only for staff or the token.

    Strangers learn nothing about the database vendor, the broker or error types.
    """
    database = check_database()
    broker = check_broker()
    healthy = database["ok"] and broker["ok"]
    body: dict[str, object] = {"status": "ok" if healthy else "unhealthy"}
    if may_see_health_details(request):
        body.update(database=database, broker=broker)
    return JsonResponse(body, status=200 if healthy else 503)


@require_safe
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "core/about.html")


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


@require_safe
def imprint(request: HttpRequest) -> HttpResponse:
    return render(request, "core/imprint.html", {"imprint_address": settings.RTM_IMPRINT_ADDRESS})
