"""/sitemap.xml: public statements and the static public pages, on the canonical SITE_URL."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from public import selectors
from statements.models import Statement


class CanonicalSitemap(Sitemap):
    """Absolute URLs on SITE_URL's host and scheme, whatever host the request used."""

    def get_domain(self, site: object = None) -> str:
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.SITE_URL).scheme


class StatementSitemap(CanonicalSitemap):
    changefreq = "monthly"
    priority = 0.8

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


SITEMAPS = {"statements": StatementSitemap, "pages": StaticSitemap}
