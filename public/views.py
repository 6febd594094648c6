"""The public side: home, list with search, reading page, co-signing actions.

Public pages go through public.cache.cached_page: anonymous visitors share one
cached copy per language and URL (zero SQL queries on a hit), everyone else gets
a fresh rendering.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet, prefetch_related_objects
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    QueryDict,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.decorators import member_required
from accounts.models import Organisation
from core import ratelimit
from core.confirm import confirmation_needed
from core.pagecache import CacheDown, expire_public_pages_at, generation
from meetings.panels import meeting_timeline
from meetings.selectors import next_public_meeting
from public import addressees, canonical, documents, press, record, selectors
from public.cache import cached_page, cached_response, keep_out_of_cache
from public.companion_views import public_companions
from public.feeds import StatementsFeed
from public.permissions import can_cosign_for, can_revoke_cosignature_for
from public.services import CosignNotAllowed, cosignature_add, cosignature_revoke
from public.sitemaps import index_items as sitemap_index_items
from public.sitemaps import section_response as sitemap_section_response
from public.statement_page import member_page
from statements.access import statement_for
from statements.models import Statement
from statements.panels import page_statements
from statements.permissions import can_view_internal
from statements.search import SEARCH_MAX, SEARCH_RATE_MESSAGE, SearchTooSlow
from statements.states import State

PAGE_SIZE = 10
HOME_LATEST = 5
TEXT = "text/plain; charset=utf-8"


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    def render_home() -> HttpResponse:
        # 3 queries: the latest statements, their topics, the next public meeting.
        # Retracted papers stay in the archive (marked there), never among the newest.
        latest = list(
            selectors.public_statements()
            .filter(state=State.PUBLISHED)
            .prefetch_related("topics")[:HOME_LATEST]
        )
        next_meeting = next_public_meeting()
        if next_meeting is not None:
            # The cached copy must not announce a meeting that is over: the generation
            # expires when this one ends, and the next hit renders the following date.
            expire_public_pages_at(next_meeting.ends_at)
        return render(request, "public/home.html", {"latest": latest, "next_meeting": next_meeting})

    return cached_page(request, render_home)


class ListFilterForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Suche"),
        required=False,
        max_length=SEARCH_MAX,
        error_messages={
            "max_length": gettext_lazy(
                "Bitte kürzen Sie die Suche auf höchstens %(limit_value)d Zeichen."
            )
        },
    )
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
    facts = canonical.public_facts()
    topic, year = data.get("topic") or "", data.get("year")
    qs = selectors.public_statements()
    if topic:
        qs = qs.filter(topics__slug=topic)
    if year:
        qs = qs.filter(published_at__year=year)
    context = {
        "form": form,
        "query": search,
        "search_max": SEARCH_MAX,
        "topics": facts.topics,
        "years": facts.years,
        "selected_topic": topic,
        "selected_year": year,
    }
    if search or form.has_error("q"):
        response = _search_results(request, form, qs, query, search, context)
    else:
        response = _browse(request, qs, query, facts, context)
    return response


def _browse(
    request: HttpRequest,
    qs: QuerySet[Statement],
    query: QueryDict,
    facts: canonical.PublicFacts,
    context: dict,
) -> HttpResponse:
    """Newest first, PAGE_SIZE at a time by keyset (?older=<id> / ?newer=<id>); the total
    is counted once per public generation. Old ?page=N links still work (by offset)."""
    cursor_name = "older" if query.get("older") else "newer" if query.get("newer") else ""
    position, offset, broken = None, 0, False
    if cursor_name:
        cursor = query[cursor_name]
        position = selectors.cursor_position(int(cursor)) if cursor.isdigit() else None
        broken = position is None  # not a public paper: show the newest, never store
    elif query.get("page"):
        number = query["page"]
        offset = (int(number) - 1) * PAGE_SIZE if number.isdigit() and int(number) > 0 else 0
        broken = not number.isdigit() or int(number) < 1
    page = selectors.keyset_page(
        qs.prefetch_related("topics"),
        PAGE_SIZE,
        older_than=position if cursor_name == "older" else None,
        newer_than=position if cursor_name == "newer" else None,
        offset=offset,
    )
    topic, year = context["selected_topic"], context["selected_year"]
    if (not topic or topic in facts.topic_slugs) and (not year or year in facts.years):
        total = selectors.public_count(topic, year)
    else:
        total = 0  # a topic or year without public papers
    params = query.copy()
    for name in ("page", "older", "newer"):
        params.pop(name, None)
    context.update(
        {
            "statements": page.statements,
            "keyset": page,
            "total": total,
            "querystring": params.urlencode(),
        }
    )
    response = render(request, "public/statement_list.html", context)
    if broken or (offset and not page.statements):
        keep_out_of_cache(response)  # a position or page that does not exist
    return response


def _search_results(
    request: HttpRequest,
    form: ListFilterForm,
    qs: QuerySet[Statement],
    query: QueryDict,
    search: str,
    context: dict,
) -> HttpResponse:
    """Best match first, numbered pages; the rows shown get their headlines."""
    status, retry_after = 200, None
    requested = query.get("page")
    if form.has_error("q"):
        qs = qs.none()  # a refused search shows no list, only the message and the text
    else:
        # Only a cache miss gets here: count it against the client's search rate.
        try:
            ratelimit.consume_request(request, "search", message=SEARCH_RATE_MESSAGE)
        except ratelimit.RateLimited as error:
            form.add_error("q", error.message)
            status = error.status
            retry_after = error.retry_after
            qs = qs.none()
    try:
        with selectors.search_timeout() if search else nullcontext():
            if search and not form.has_error("q"):
                paginator = selectors.search_results(
                    qs.prefetch_related("topics"), search, PAGE_SIZE
                )
            else:
                paginator = Paginator(qs, PAGE_SIZE)
            page = paginator.get_page(requested)
            statements = list(page.object_list)
            if search and statements:
                selectors.attach_headlines(statements, search)
    except SearchTooSlow as error:
        form.add_error("q", error.message)
        status = error.status
        page = Paginator(qs.none(), PAGE_SIZE).get_page(1)
        statements = []
    params = query.copy()
    params.pop("page", None)
    context.update(
        {
            "page": page,
            "statements": statements,
            "total": page.paginator.count,
            "capped": getattr(page.paginator, "capped", False),
            "querystring": params.urlencode(),
        }
    )
    response = render(request, "public/statement_list.html", context, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    if requested is not None and requested != str(page.number):
        keep_out_of_cache(response)  # a page that does not exist, shown as the last one
    return response


@require_safe
def feed(request: HttpRequest, topic: str | None = None) -> HttpResponse:
    """Atom feed of public statements, all or one topic's."""
    return cached_response(request, lambda: StatementsFeed()(request, topic=topic))


@require_safe
def sitemap_index(request: HttpRequest) -> HttpResponse:
    """/sitemap.xml: the index of the sections' pages (at most 1,000 URLs each)."""

    def render_index() -> HttpResponse:
        return render(
            request,
            "sitemap_index.xml",
            {"sitemaps": sitemap_index_items()},
            content_type="application/xml",
        )

    return cached_response(request, render_index)


@require_safe
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    """/sitemap-<section>.xml?p=N: one page of one section."""
    return cached_response(
        request,
        lambda: sitemap_section_response(section, request.GET.get("p", "1")),
        canonical=canonical.sitemap_query,
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
        # A member sees the working page; ?view=public shows them what the public reads.
        wants_public = request.GET.get("view") == "public" and statement.is_public
        if can_view_internal(request.user, statement) and not wants_public:
            return member_page(request, statement)
        return published_statement(request, statement)

    return cached_page(request, render_page)


def _once(compute: Callable[[], Any]) -> Callable[[], Any]:
    """A value the template computes when it first needs it, then keeps (a template
    calls a callable each time it resolves it)."""
    return functools.cache(compute)


def published_statement(request: HttpRequest, statement: Statement) -> HttpResponse:
    """The public reading page of a published or retracted statement.

    The page's head and body are the same for every reader in a language, so the template
    keeps them as fragments per public generation ({% cache %}): anonymous readers get the
    whole page from the page cache, a signed-in reader (or a member looking at the public
    view) gets the fragments inside a freshly rendered header. Everything below is
    computed only when a fragment is missing, so a hit makes none of these queries.
    """
    if not statement.is_public:
        raise Http404
    revision = statement.current_revision
    canonical_url = settings.SITE_URL + statement.get_absolute_url()
    # Queries on a miss: co-signing organisations, older, newer, the adopted ballot,
    # approved versions, mails to addressees and public answers, meetings.
    neighbours = _once(lambda: selectors.neighbours(statement))
    decision = _once(lambda: record.decision_for(statement))

    def cosignatures() -> Any:
        prefetch_related_objects([statement], selectors.cosignatures_prefetch())
        return statement.public_cosignatures

    context = {
        "statement": statement,
        "fragment_generation": _fragment_generation(),
        "body_html": revision.body_html if revision is not None else "",
        "topics": statement.topics.all(),  # prefetched by page_statements()
        "cosignatures": _once(cosignatures),
        "older": _once(lambda: neighbours()[0]),
        "newer": _once(lambda: neighbours()[1]),
        "canonical_url": canonical_url,
        "decision_line": _once(lambda: documents.decision_line(decision())),
        "content_hash": _once(lambda: record.revision_hash(revision) if revision else ""),
        "citation": _once(lambda: documents.citation(statement)),
        "share_links": _once(lambda: press.share_links(statement.title, canonical_url)),
        "letterhead": _once(documents.letterhead),
        "siblings": _once(lambda: public_companions(statement)),
        "correspondence": _once(lambda: addressees.correspondence(statement)),
        "meetings": _once(lambda: meeting_timeline(statement, public=True)),
    }
    return render(request, "public/statement_detail.html", context)


def _fragment_generation() -> str:
    """The public generation for the fragments' keys; without a cache server a key that
    is never found again, so the page is rendered whole (and nothing stale is kept)."""
    try:
        return str(generation())
    except CacheDown:
        return f"uncached-{uuid.uuid4().hex}"


# --- press documents and the checkable record ----------------------------------


def _public_or_404(slug: str) -> Statement:
    statement = (
        Statement.objects.public().select_related("current_revision").filter(slug=slug).first()
    )
    if statement is None or statement.current_revision is None:
        raise Http404
    return statement


@require_safe
def document(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    """/statements/<slug>/pdf/ and /docx/: the press document, generated once per version."""
    statement = _public_or_404(slug)
    numbered = kind == "pdf" and request.GET.get("zeilen") == "1"
    found = documents.get_document(statement, kind, numbered=numbered)
    # A few hundred KB: read whole, so HEAD and conditional requests behave like any page.
    response = HttpResponse(found.path.read_bytes(), content_type=found.content_type)
    response["Content-Disposition"] = f'inline; filename="{found.filename}"'
    response["ETag"] = f'"{found.path.stem}"'
    patch_cache_control(response, public=True, max_age=300)
    return response


@require_safe
def wording(request: HttpRequest, slug: str) -> HttpResponse:
    """/statements/<slug>/wortlaut.txt: the adopted text whose SHA-256 the page shows."""
    statement = _public_or_404(slug)
    response = HttpResponse(record.revision_text(statement.current_revision), content_type=TEXT)
    response["Content-Disposition"] = f'inline; filename="{statement.slug}-wortlaut.txt"'
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def verify(request: HttpRequest, slug: str) -> HttpResponse:
    """/statements/<slug>/verify/: does a pasted text or an uploaded PDF match an adopted
    version? Public; each check counts against the client's "verify" rate."""
    statement = _public_or_404(slug)
    if request.method != "POST":
        return cached_page(request, lambda: _render_verify(request, statement, press.VerifyForm()))
    form = press.VerifyForm(request.POST, request.FILES)
    status, outcome = 200, None
    if form.is_valid():
        try:
            ratelimit.consume_request(request, "verify")
        except ratelimit.RateLimited as error:
            form.add_error(None, error.message)
            response = _render_verify(request, statement, form, status=error.status)
            response["Retry-After"] = str(error.retry_after)
            return response
        outcome = press.check(statement, form)
        if outcome.error:
            form.add_error("pdf", outcome.error)
            outcome, status = None, 400
    else:
        status = 400
    return _render_verify(request, statement, form, outcome=outcome, status=status)


# Takes a PDF upload: rtm_workflow.security.RefuseMultipartMiddleware lets multipart through.
verify.accepts_files = True  # type: ignore[attr-defined]


def _render_verify(
    request: HttpRequest,
    statement: Statement,
    form: forms.Form,
    *,
    outcome: press.Outcome | None = None,
    status: int = 200,
) -> HttpResponse:
    revision = statement.current_revision
    context = {
        "statement": statement,
        "form": form,
        "outcome": outcome,
        "content_hash": record.revision_hash(revision),
    }
    return render(request, "public/verify.html", context, status=status)


@require_safe
def feed_about(request: HttpRequest) -> HttpResponse:
    """/statements/feed/about/: what a feed is and how to subscribe, with the feeds' URLs."""

    def render_about() -> HttpResponse:
        facts = canonical.public_facts()
        return render(request, "public/feed_about.html", {"topics": facts.topics})

    return cached_page(request, render_about)


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
