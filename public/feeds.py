"""Atom feeds of public statements: all, and one per topic. Full text in <content>."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.translation import gettext as _

from public import documents, selectors
from statements.models import Statement, Topic
from statements.states import State

FEED_SIZE = 30


class FullContentAtomFeed(Atom1Feed):
    """Atom with the full text of each statement as <content type="html">."""

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})
        for hreflang, href in item.get("alternates", ()):
            # An approved translation or plain-language version (issue 19).
            handler.addQuickElement(
                "link", "", {"rel": "alternate", "hreflang": hreflang, "href": href}
            )
        if item.get("pdf_url"):
            # The press PDF (public/documents.py); Atom allows an enclosure without length.
            handler.addQuickElement(
                "link",
                "",
                {"rel": "enclosure", "type": "application/pdf", "href": item["pdf_url"]},
            )


class StatementsFeed(Feed):
    feed_type = FullContentAtomFeed

    def get_object(self, request: HttpRequest, topic: str | None = None) -> Topic | None:
        if topic is None:
            return None
        # Only a topic some public paper carries: the name of a topic used by internal
        # papers alone is not the public's to read.
        return get_object_or_404(selectors.public_topics(), slug=topic)

    def title(self, obj: Topic | None) -> str:
        base = _("Positionen des Runden Tisches Migration Landkreis Leipzig")
        return f"{base}: {obj.name}" if obj else base

    def subtitle(self, obj: Topic | None) -> str:
        return _("Veröffentlichte Stellungnahmen und Positionspapiere des RTM.")

    def link(self, obj: Topic | None) -> str:
        url = settings.SITE_URL + reverse("public:statement_list")
        return f"{url}?topic={obj.slug}" if obj else url

    def feed_url(self, obj: Topic | None) -> str:
        if obj:
            return settings.SITE_URL + reverse("public:topic_feed", kwargs={"topic": obj.slug})
        return settings.SITE_URL + reverse("public:feed")

    def feed_guid(self, obj: Topic | None) -> str:
        return self.feed_url(obj)

    def author_name(self) -> str:
        return _("Runder Tisch Migration Landkreis Leipzig")

    def items(self, obj: Topic | None) -> QuerySet[Statement]:
        qs = selectors.with_companions(selectors.with_details(selectors.public_statements()))
        if obj is not None:
            qs = qs.filter(topics=obj)
        return qs[:FEED_SIZE]

    def item_title(self, item: Statement) -> str:
        if item.state == State.RETRACTED:
            return _("Widerrufen: %(title)s") % {"title": item.title}
        return item.title

    def item_description(self, item: Statement) -> str:
        # type="html": the plain-text summary must be escaped to stay text.
        return escape(item.summary)

    def item_link(self, item: Statement) -> str:
        return settings.SITE_URL + item.get_absolute_url()

    def item_guid(self, item: Statement) -> str:
        return self.item_link(item)

    def item_pubdate(self, item: Statement) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Statement) -> datetime | None:
        return item.retracted_at or item.published_at

    def item_categories(self, item: Statement) -> list[str]:
        return [topic.name for topic in item.topics.all()]

    def item_extra_kwargs(self, item: Statement) -> dict[str, Any]:
        parts = []
        if item.state == State.RETRACTED and item.retracted_at:
            parts.append(
                format_html(
                    "<p><strong>{}</strong> {}</p>",
                    _("Widerrufen am %(date)s.")
                    % {"date": date_format(item.retracted_at, "DATE_FORMAT")},
                    item.retraction_reason,
                )
            )
        if item.occasion:
            parts.append(format_html("<p><em>{}: {}</em></p>", _("Anlass"), item.occasion))
        revision = item.current_revision
        parts.append(revision.body_html if revision is not None else "")
        names = [c.organisation.name for c in item.public_cosignatures]
        if names:
            parts.append(format_html("<p>{}: {}</p>", _("Mitgezeichnet von"), ", ".join(names)))
        return {
            "content": "\n".join(str(p) for p in parts),
            "pdf_url": settings.SITE_URL + documents.document_url(item, "pdf"),
            "alternates": [
                (companion.hreflang, settings.SITE_URL + selectors.companion_url(item, companion))
                for companion in getattr(item, "public_companions", ())
            ],
        }
