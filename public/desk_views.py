"""The coordinator's desk page (public/desk.py holds the queries)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.decorators import coordinator_required
from public.desk import desk


@require_safe
@coordinator_required
def coordination_desk(request: HttpRequest) -> HttpResponse:
    return render(request, "public/desk.html", {"desk": desk()})
