"""Read-only JSON API of public statements (shape documented in docs/api.md).

GET /api/statements/            paginated list (?page=N, ?topic=slug)
GET /api/statements/<slug>/     one statement

Same answer for everyone: no cookies are read or set, responses are cached and
carry ETag/Last-Modified (conditional GET gives 304), and any origin may read
them (CORS `*`, never with credentials).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse

from public import canonical, documents, record, selectors
from public.cache import cached_response
from statements.models import Statement
from statements.states import State

API_PAGE_SIZE = 20
ALLOWED_METHODS = "GET, HEAD, OPTIONS"


def _cors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Read-only CORS for every origin; answer preflights; refuse writes with 405."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            response["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
            response["Access-Control-Max-Age"] = "86400"
        elif request.method not in ("GET", "HEAD"):
            response = _error(405, "Method not allowed.")
            response["Allow"] = ALLOWED_METHODS
        else:
            response = view(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = "ETag, Last-Modified"
        return response

    return wrapper


def _error(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def serialise(statement: Statement) -> dict[str, Any]:
    """One statement as the API shows it. Only public fields, no person's name."""
    revision = statement.current_revision
    retracted = statement.state == State.RETRACTED
    return {
        "slug": statement.slug,
        "url": settings.SITE_URL + statement.get_absolute_url(),
        "api_url": settings.SITE_URL
        + reverse("public:api_detail", kwargs={"slug": statement.slug}),
        "title": statement.title,
        "occasion": statement.occasion,
        "summary": statement.summary,
        "body_html": revision.body_html if revision is not None else "",
        "language": statement.language,
        "topics": [
            {"slug": t.slug, "name": t.name, "name_en": t.name_en} for t in statement.topics.all()
        ],
        "published_at": _iso(statement.published_at),
        "updated_at": _iso(statement.retracted_at or statement.published_at),
        "retracted": retracted,
        "retracted_at": _iso(statement.retracted_at) if retracted else None,
        "retraction_reason": statement.retraction_reason if retracted else None,
        "cosigners": [
            {"name": c.organisation.name, "website": c.organisation.website or None}
            for c in statement.public_cosignatures
        ],
        # SHA-256 of the adopted wording (public/record.py).
        "content_hash": record.revision_hash(revision) if revision is not None else None,
        # Approved plain-language versions and translations (issue 19), with their hreflang.
        "companions": [
            {
                "kind": companion.kind,
                "language": companion.language,
                "hreflang": companion.hreflang,
                "title": companion.title,
                "url": settings.SITE_URL + selectors.companion_url(statement, companion),
                "reviewed_at": _iso(companion.reviewed_at),
            }
            for companion in getattr(statement, "public_companions", ())
        ],
        "documents": {
            "pdf": settings.SITE_URL + documents.document_url(statement, "pdf"),
            "docx": settings.SITE_URL + documents.document_url(statement, "docx"),
            "text": settings.SITE_URL + reverse("public:wording", kwargs={"slug": statement.slug}),
            "verify": settings.SITE_URL + reverse("public:verify", kwargs={"slug": statement.slug}),
        },
    }


@_cors
def statement_list(request: HttpRequest) -> HttpResponse:
    return cached_response(request, lambda: _list(request), canonical=canonical.api_list_query)


def _list(request: HttpRequest) -> HttpResponse:
    qs = selectors.with_companions(selectors.with_details(selectors.public_statements()))
    topic = request.GET.get("topic", "")
    if topic:
        qs = qs.filter(topics__slug=topic)
    paginator = Paginator(qs, API_PAGE_SIZE)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        return _error(400, "page must be a positive integer.")
    except EmptyPage:
        return _error(404, "No such page.")
    base = settings.SITE_URL + reverse("public:api_list")

    def page_url(number: int) -> str:
        params = {"page": number} if number != 1 else {}
        if topic:
            params["topic"] = topic
        return base + ("?" + urlencode(params) if params else "")

    return JsonResponse(
        {
            "count": paginator.count,
            "next": page_url(page.next_page_number()) if page.has_next() else None,
            "previous": page_url(page.previous_page_number()) if page.has_previous() else None,
            "results": [serialise(s) for s in page.object_list],
        },
        json_dumps_params={"ensure_ascii": False},
    )


@_cors
def statement_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return cached_response(request, lambda: _detail(slug))


def _detail(slug: str) -> HttpResponse:
    statement = (
        selectors.with_companions(selectors.with_details(selectors.public_statements()))
        .filter(slug=slug)
        .first()
    )
    if statement is None:
        return _error(404, "Not found.")
    return JsonResponse(serialise(statement), json_dumps_params={"ensure_ascii": False})
