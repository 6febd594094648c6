"""The members' search: every paper the reader may see, in every state, by words.

The same stored search vector and index as the public list (statements.search); the
set searched is statements.permissions.viewable_q (the can_view rule as a query), so a
member never finds a paper they could not open. Without words it lists one dashboard
section in full ("alle anzeigen").
"""

from __future__ import annotations

from contextlib import nullcontext

from django import forms
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from accounts.decorators import member_required
from core import ratelimit
from statements import permissions as perms
from statements import search
from statements.models import Statement
from statements.states import State

PAGE_SIZE = 20

# The dashboard's sections; each "alle anzeigen" link opens the search on one of them.
SECTIONS = {
    "drafts": gettext_lazy("Meine Entwürfe"),
    "consultation": gettext_lazy("In Konsultation"),
    "decision": gettext_lazy("In Abstimmung und entschieden"),
    "published": gettext_lazy("Veröffentlicht"),
}


def section_q(section: str, user) -> Q:
    if section == "drafts":
        return Q(state=State.DRAFT) & (Q(created_by_id=user.pk) | Q(coauthorships__user=user))
    if section == "consultation":
        return Q(state=State.CONSULTATION)
    if section == "decision":
        return Q(state__in=(State.VOTING, State.ACCEPTED, State.REJECTED))
    if section == "published":
        return Q(state__in=(State.PUBLISHED, State.RETRACTED))
    return Q()


class MemberSearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Suchbegriffe"),
        required=False,
        max_length=search.SEARCH_MAX,
        error_messages={
            "max_length": gettext_lazy(
                "Bitte kürzen Sie die Suche auf höchstens %(limit_value)d Zeichen."
            )
        },
    )
    section = forms.ChoiceField(
        label=gettext_lazy("Bereich"),
        required=False,
        choices=[("", gettext_lazy("alle Papiere, die Sie sehen dürfen")), *SECTIONS.items()],
    )


@require_safe
@member_required
def member_search(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = MemberSearchForm(request.GET or None)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    words = data.get("q") or ""
    section = data.get("section") or ""
    qs = (
        Statement.objects.filter(perms.viewable_q(user))
        .filter(section_q(section, user))
        .only("slug", "title", "language", "state", "updated_at", "published_at")
    )
    status, retry_after = 200, None
    if form.has_error("q"):
        qs = qs.none()
    elif words:
        try:
            ratelimit.consume_request(request, "search", message=search.SEARCH_RATE_MESSAGE)
        except ratelimit.RateLimited as error:
            form.add_error("q", error.message)
            status = error.status
            retry_after = error.retry_after
            qs = qs.none()
    if section == "drafts":
        qs = qs.distinct()
    try:
        with search.search_timeout() if words else nullcontext():
            if words and not form.has_error("q"):
                paginator = search.results(qs, words, PAGE_SIZE)
            else:
                paginator = Paginator(qs.order_by("-updated_at", "-id"), PAGE_SIZE)
            page = paginator.get_page(request.GET.get("page"))
            statements = list(page.object_list)
            if words and statements:
                search.attach_headlines(statements, words)
    except search.SearchTooSlow as error:
        form.add_error("q", error.message)
        status = error.status
        page = Paginator(qs.none(), PAGE_SIZE).get_page(1)
        statements = []
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "statements": statements,
        "words": words,
        "capped": getattr(page.paginator, "capped", False),
        "section_label": SECTIONS.get(section, ""),
        "querystring": params.urlencode(),
    }
    response = render(request, "statements/search.html", context, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response
