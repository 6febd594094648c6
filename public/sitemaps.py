"""The sitemaps on the canonical SITE_URL: /sitemap.xml is an index of sections, each
section (/sitemap-statements.xml, /sitemap-pages.xml) is paged at SECTION_LIMIT URLs
(?p=2 …), so no document grows with the number of papers beyond that and the index
costs one count and one aggregate per section."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Max, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import http_date

from public import selectors
from statements.models import Companion, Statement


class CanonicalSitemap(Sitemap):
    """Absolute URLs on SITE_URL's host and scheme, whatever host the request used."""

    def get_domain(self, site: object = None) -> str:
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.SITE_URL).scheme


SECTION_LIMIT = 1000


@lru_cache(maxsize=1)
def _statement_path() -> str:
    return reverse("public:statement_page", kwargs={"slug": "__slug__"})


class StatementSitemap(CanonicalSitemap):
    changefreq = "monthly"
    priority = 0.8
    limit = SECTION_LIMIT

    def location(self, item: Statement) -> str:
        # One reverse() per page, not per paper (get_absolute_url's route).
        return _statement_path().replace("/__slug__/", f"/{item.slug}/")

    def get_latest_lastmod(self) -> datetime | None:
        # One aggregate, not Django's default of every item's lastmod in Python.
        return selectors.public_statements().aggregate(
            latest=Max(Coalesce("retracted_at", "published_at"))
        )["latest"]

    def items(self) -> QuerySet[Statement]:
        return selectors.public_statements().only("id", "slug", "published_at", "retracted_at")

    def lastmod(self, item: Statement) -> datetime | None:
        return item.retracted_at or item.published_at


class CompanionSitemap(CanonicalSitemap):
    """Approved plain-language versions and translations (issue 19). Each entry names
    itself and its original as alternates (hreflang), as search engines expect."""

    changefreq = "monthly"
    priority = 0.6
    limit = SECTION_LIMIT

    def items(self) -> QuerySet[Companion]:
        return (
            Companion.objects.public()
            .select_related("statement")
            .only(
                "id",
                "kind",
                "language",
                "reviewed_at",
                "retracted_at",
                "statement__slug",
                "statement__language",
            )
            .order_by("statement_id", "kind", "language")
        )

    def location(self, item: Companion) -> str:
        return selectors.companion_url(item.statement, item)

    def lastmod(self, item: Companion) -> datetime | None:
        return item.retracted_at or item.reviewed_at

    def get_latest_lastmod(self) -> datetime | None:
        return Companion.objects.public().aggregate(
            latest=Max(Coalesce("retracted_at", "reviewed_at"))
        )["latest"]

    def links(self, item: Companion) -> list[tuple[str, str]]:
        base = settings.SITE_URL.rstrip("/")
        return [
            (item.hreflang, base + self.location(item)),
            (
                item.statement.language,
                base + _statement_path().replace("/__slug__/", f"/{item.statement.slug}/"),
            ),
        ]


class StaticSitemap(CanonicalSitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self) -> list[str]:
        return [
            "public:home",
            "public:statement_list",
            "core:about",
            "core:privacy",
            "core:imprint",
        ]

    def location(self, item: str) -> str:
        return reverse(item)

    def get_latest_lastmod(self) -> None:
        return None


SITEMAPS = {
    "statements": StatementSitemap,
    "companions": CompanionSitemap,
    "pages": StaticSitemap,
}


def index_items() -> list[SitemapIndexItem]:
    """The index: every page of every section, on SITE_URL whatever host was asked."""
    base = settings.SITE_URL.rstrip("/")
    items = []
    for section, sitemap_class in SITEMAPS.items():
        site = sitemap_class()
        location = base + reverse("public:sitemap_section", kwargs={"section": section})
        lastmod = site.get_latest_lastmod()
        items.append(SitemapIndexItem(location, lastmod))
        for page in range(2, site.paginator.num_pages + 1):
            items.append(SitemapIndexItem(f"{location}?p={page}", lastmod))
    return items


def section_response(section: str, page: str) -> HttpResponse:
    """One page of a section as XML, written directly: Django's template costs about
    0.2 ms per URL, a fifth of a second for a page of 1,000."""
    site = SITEMAPS[section]()
    try:
        urls = site.get_urls(page=page, site=None, protocol=None)
    except (EmptyPage, PageNotAnInteger) as error:
        raise Http404 from error
    links = getattr(site, "links", None)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        ' xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for url in urls:
        parts = [f"<url><loc>{escape(url['location'])}</loc>"]
        for hreflang, href in links(url["item"]) if links else ():
            parts.append(
                f'<xhtml:link rel="alternate" hreflang="{escape(hreflang)}" href="{escape(href)}"/>'
            )
        if url["lastmod"]:
            parts.append(f"<lastmod>{timezone.localtime(url['lastmod']):%Y-%m-%d}</lastmod>")
        if url["changefreq"]:
            parts.append(f"<changefreq>{url['changefreq']}</changefreq>")
        if url["priority"]:
            parts.append(f"<priority>{url['priority']}</priority>")
        lines.append("".join(parts) + "</url>")
    lines.append("</urlset>\n")
    response = HttpResponse("\n".join(lines), content_type="application/xml")
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    latest = getattr(site, "latest_lastmod", None)
    if latest is not None:
        response["Last-Modified"] = http_date(latest.timestamp())
    return response
