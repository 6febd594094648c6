from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core.health import check_broker, check_cache, check_database, may_see_health_details


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 or 503 for everyone; which part failed (and how) only for staff or the token.

    Without the database nothing works: 503 "unhealthy". Without Redis (broker and cache)
    the site still serves (the cache fails open, mail waits in the outbox for the sweep):
    200 "degraded", so the web container is not taken for dead while a monitor sees it.
    Strangers learn nothing about the database vendor, the broker or error types.
    """
    database = check_database()
    broker = check_broker()
    cache = check_cache()
    if not database["ok"]:
        status = "unhealthy"
    elif broker["ok"] and cache["ok"]:
        status = "ok"
    else:
        status = "degraded"
    body: dict[str, object] = {"status": status}
    if may_see_health_details(request):
        body.update(database=database, broker=broker, cache=cache)
    return JsonResponse(body, status=503 if status == "unhealthy" else 200)


@require_safe
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "core/about.html")


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


@require_safe
def imprint(request: HttpRequest) -> HttpResponse:
    return render(request, "core/imprint.html", {"imprint_address": settings.RTM_IMPRINT_ADDRESS})
