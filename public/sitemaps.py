"""The sitemaps on the canonical SITE_URL: /sitemap.xml is an index of sections, each
section (/sitemap-statements.xml, /sitemap-pages.xml) is paged at SECTION_LIMIT URLs
(?p=2 …), so no document grows with the number of papers beyond that and the index
costs one count and one aggregate per section."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem
from django.db.models import Max, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse

from public import selectors
from statements.models import Statement


class CanonicalSitemap(Sitemap):
    """Absolute URLs on SITE_URL's host and scheme, whatever host the request used."""

    def get_domain(self, site: object = None) -> str:
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.SITE_URL).scheme


SECTION_LIMIT = 1000


class StatementSitemap(CanonicalSitemap):
    changefreq = "monthly"
    priority = 0.8
    limit = SECTION_LIMIT

    def get_latest_lastmod(self) -> datetime | None:
        # One aggregate, not Django's default of every item's lastmod in Python.
        return selectors.public_statements().aggregate(
            latest=Max(Coalesce("retracted_at", "published_at"))
        )["latest"]

    def items(self) -> QuerySet[Statement]:
        return selectors.public_statements()

    def lastmod(self, item: Statement) -> datetime | None:
        return item.retracted_at or item.published_at


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


SITEMAPS = {"statements": StatementSitemap, "pages": StaticSitemap}


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
