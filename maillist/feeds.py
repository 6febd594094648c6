"""The Atom feed of the list's public posts (full text)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from maillist.models import Post
from maillist.selectors import archive_for

FEED_SIZE = 30


class PublicPostsFeed(Feed):
    feed_type = Atom1Feed

    def title(self) -> str:
        return _("E-Mail-Verteiler des Runden Tisches Migration")

    def link(self) -> str:
        return settings.SITE_URL + reverse("maillist:archive")

    def subtitle(self) -> str:
        return _("Öffentliche Beiträge aus dem E-Mail-Verteiler.")

    def items(self) -> QuerySet[Post]:
        # Anonymous: the public posts only, whoever asks for the feed.
        return archive_for(None)[:FEED_SIZE]

    def item_title(self, item: Post) -> str:
        return f"{item.get_post_type_display()}: {item.title}"

    def item_description(self, item: Post) -> str:
        return item.body_html

    def item_link(self, item: Post) -> str:
        return settings.SITE_URL + item.get_absolute_url()

    def item_pubdate(self, item: Post) -> datetime | None:
        return item.sent_at

    def item_author_name(self, item: Post) -> str:
        return item.author_name
