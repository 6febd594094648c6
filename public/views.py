from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from statements.models import Statement


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "public/home.html")


@require_GET
def statement_list(request: HttpRequest) -> HttpResponse:
    return render(request, "public/statement_list.html")


@require_GET
def feed(request: HttpRequest) -> HttpResponse:
    return HttpResponse("", content_type="application/atom+xml")


def published_statement(request: HttpRequest, statement: Statement) -> HttpResponse:
    """The public reading page of a published or retracted statement."""
    return render(request, "public/statement_detail.html", {"statement": statement})
