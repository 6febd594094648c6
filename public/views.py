"""The public side: home, list with search, reading page, co-signing actions.

Public pages go through public.cache.cached_page: anonymous visitors share one
cached copy per language and URL (zero SQL queries on a hit), everyone else gets
a fresh rendering.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.sitemaps.views import sitemap
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from accounts.decorators import member_required
from accounts.models import Organisation
from core.confirm import confirmation_needed
from public import canonical, selectors
from public.cache import cached_page, cached_response, keep_out_of_cache
from public.feeds import StatementsFeed
from public.permissions import can_cosign_for, can_revoke_cosignature_for
from public.services import CosignNotAllowed, cosignature_add, cosignature_revoke
from public.sitemaps import SITEMAPS
from public.statement_page import member_page
from statements.access import statement_for
from statements.models import Statement
from statements.panels import page_statements
from statements.permissions import can_view_internal
from statements.states import State

PAGE_SIZE = 10
HOME_LATEST = 5
TEXT = "text/plain; charset=utf-8"


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    def render_home() -> HttpResponse:
        # 2 queries: the latest statements, their topics.
        latest = list(selectors.public_statements().prefetch_related("topics")[:HOME_LATEST])
        return render(request, "public/home.html", {"latest": latest})

    return cached_page(request, render_home)


class ListFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Suche"), required=False, max_length=200)
    topic = forms.SlugField(label=gettext_lazy("Thema"), required=False, max_length=80)
    year = forms.IntegerField(
        label=gettext_lazy("Jahr"), required=False, min_value=2000, max_value=2100
    )


@require_safe
def statement_list(request: HttpRequest) -> HttpResponse:
    canonical_query = canonical.list_query(request.GET)
    # A canonical query renders from its canonical form, so each cache key has one page.
    query = request.GET if canonical_query is None else QueryDict(canonical_query)
    return cached_page(
        request, lambda: _render_list(request, query), canonical=lambda _: canonical_query
    )


def _render_list(request: HttpRequest, query: QueryDict) -> HttpResponse:
    form = ListFilterForm(query or None)
    form.is_valid()
    # Apply whatever parts of the filter are valid; the form shows the rest as errors.
    data = getattr(form, "cleaned_data", {})
    search = data.get("q") or ""
    qs = selectors.public_statements()
    if data.get("topic"):
        qs = qs.filter(topics__slug=data["topic"])
    if data.get("year"):
        qs = qs.filter(published_at__year=data["year"])
    if search:
        qs = selectors.search(qs, search)
    requested = query.get("page")
    page = Paginator(qs.prefetch_related("topics"), PAGE_SIZE).get_page(requested)
    statements = list(page.object_list)
    if search:
        for statement in statements:
            statement.snippet = selectors.snippet_html(statement, search)
    params = query.copy()
    params.pop("page", None)
    facts = canonical.public_facts()
    context = {
        "form": form,
        "page": page,
        "statements": statements,
        "query": search,
        "topics": facts.topics,
        "years": facts.years,
        "selected_topic": data.get("topic") or "",
        "selected_year": data.get("year"),
        "querystring": params.urlencode(),
    }
    response = render(request, "public/statement_list.html", context)
    if requested is not None and requested != str(page.number):
        keep_out_of_cache(response)  # a page that does not exist, shown as the last one
    return response


@require_safe
def feed(request: HttpRequest, topic: str | None = None) -> HttpResponse:
    """Atom feed of public statements, all or one topic's."""
    return cached_response(request, lambda: StatementsFeed()(request, topic=topic))


@require_safe
def sitemap_xml(request: HttpRequest) -> HttpResponse:
    return cached_response(
        request, lambda: sitemap(request, sitemaps=SITEMAPS), canonical=canonical.sitemap_query
    )


@require_safe
def statement_page(request: HttpRequest, slug: str) -> HttpResponse:
    """/statements/<slug>/, routed here only: the members' page or the public reading page.

    Anonymous visitors share the cached public page (a hit touches no database);
    everyone else gets a fresh rendering. Who may see what is statements' rule
    (statement_for: 404 for those who may not know the paper exists).
    """

    def render_page() -> HttpResponse:
        statement = statement_for(request.user, slug, "view", queryset=page_statements())
        if can_view_internal(request.user, statement):
            return member_page(request, statement)
        return published_statement(request, statement)

    return cached_page(request, render_page)


def published_statement(request: HttpRequest, statement: Statement) -> HttpResponse:
    """The public reading page of a published or retracted statement."""
    if not statement.is_public:
        raise Http404
    # Queries after the fetch: topics, co-signing organisations, older, newer.
    prefetch_related_objects([statement], "topics", selectors.cosignatures_prefetch())
    older, newer = selectors.neighbours(statement)
    revision = statement.current_revision
    context = {
        "statement": statement,
        "body_html": revision.body_html if revision is not None else "",
        "cosignatures": statement.public_cosignatures,
        "older": older,
        "newer": newer,
        "canonical_url": settings.SITE_URL + statement.get_absolute_url(),
    }
    return render(request, "public/statement_detail.html", context)


# --- co-signing (members' statement page panel) --------------------------------


class CosignForm(forms.Form):
    organisation = forms.IntegerField(min_value=1)
    action = forms.ChoiceField(choices=[("sign", "sign"), ("revoke", "revoke")])


@require_POST
@member_required
def cosign(request: HttpRequest, slug: str) -> HttpResponse:
    """A member signs or revokes for an organisation they are a confirmed member of;
    coordinators for any. Ticking an organisation in one's profile is not enough."""
    statement = statement_for(request.user, slug, "internal")
    form = CosignForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Ungültige Angaben zur Mitzeichnung."), content_type=TEXT)
    organisation = get_object_or_404(Organisation, pk=form.cleaned_data["organisation"])
    signing = form.cleaned_data["action"] == "sign"
    allowed = can_cosign_for if signing else can_revoke_cosignature_for
    if not allowed(request.user, statement, organisation):
        return _refuse(request, statement)
    if signing:
        page = confirmation_needed(
            request,
            title=_("Öffentlich mitzeichnen?"),
            text=_(
                "%(org)s erscheint dann öffentlich als Mitzeichnerin von „%(title)s“ "
                "(mit Ihrem Namen im Verlauf)."
            )
            % {"org": organisation.name, "title": statement.title},
            button=_("Ja, für %(org)s mitzeichnen") % {"org": organisation.name},
            cancel_url=statement.get_absolute_url() + "#mitzeichnung",
        )
        if page is not None:
            return page
    try:
        if signing:
            cosignature_add(statement=statement, organisation=organisation, actor=request.user)
            messages.success(
                request, _("%(org)s zeichnet diese Stellungnahme mit.") % {"org": organisation.name}
            )
        else:
            cosignature_revoke(statement=statement, organisation=organisation, actor=request.user)
            messages.success(
                request,
                _("Die Mitzeichnung von %(org)s wurde zurückgezogen.") % {"org": organisation.name},
            )
    except CosignNotAllowed:
        return _refuse(request, statement)
    return redirect(statement.get_absolute_url() + "#mitzeichnung")


def _refuse(request: HttpRequest, statement: Statement) -> HttpResponse:
    if statement.state != State.PUBLISHED:
        return HttpResponse(
            _("Mitzeichnen ist nur bei veröffentlichten Stellungnahmen möglich."),
            status=409,
            content_type=TEXT,
        )
    raise PermissionDenied(_("Sie dürfen nicht für diese Organisation zeichnen."))
