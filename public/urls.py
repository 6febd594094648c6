import re

from django.urls import path, register_converter
from django.urls.converters import SlugConverter

from public import api, desk_views, views
from statements.services import RESERVED_SLUGS


class PaperSlugConverter(SlugConverter):
    """A slug that can name a paper: never one of the reserved words (statements/new/ …),
    so those paths fall through to the statements app's own routes."""

    regex = "(?!(?:{})/)[-a-zA-Z0-9_]+".format("|".join(map(re.escape, sorted(RESERVED_SLUGS))))


register_converter(PaperSlugConverter, "paper")

app_name = "public"


urlpatterns = [
    path("", views.home, name="home"),
    path("statements/", views.statement_list, name="statement_list"),
    path("statements/feed/", views.feed, name="feed"),
    path("statements/feed/<slug:topic>/", views.feed, name="topic_feed"),
    # The one route of a paper's page (members' page or public reading page).
    path("statements/<paper:slug>/", views.statement_page, name="statement_page"),
    path("statements/<slug:slug>/cosign/", views.cosign, name="cosign"),
    path("api/statements/", api.statement_list, name="api_list"),
    path("api/statements/<slug:slug>/", api.statement_detail, name="api_detail"),
    path("sitemap.xml", views.sitemap_xml, name="sitemap"),
    path("coordination/", desk_views.coordination_desk, name="desk"),
]
