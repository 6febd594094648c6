from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import member_required
from statements import permissions as perms
from statements.access import statement_for
from statements.panels import panels_context


@require_GET
@member_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "statements/dashboard.html")


@require_http_methods(["GET", "POST"])
@member_required
def statement_new(request: HttpRequest) -> HttpResponse:
    return render(request, "statements/edit.html")


@require_GET
def statement_detail(request: HttpRequest, slug: str) -> HttpResponse:
    statement = statement_for(request.user, slug, "view")
    if not perms.can_view_internal(request.user, statement):
        from public.views import published_statement

        return published_statement(request, statement)
    context = {"statement": statement, "can_edit": perms.can_edit(request.user, statement)}
    context.update(panels_context(request, statement))
    return render(request, "statements/detail.html", context)
