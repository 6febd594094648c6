import re

from django.urls import path, re_path, register_converter
from django.urls.converters import SlugConverter

from public import addressees, answers, api, companion_views, desk_views, views
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
    # Before the topic feeds: a topic slugged "about" would be shadowed (see docs/architecture.md).
    path("statements/feed/about/", views.feed_about, name="feed_about"),
    path("statements/feed/<slug:topic>/", views.feed, name="topic_feed"),
    # The one route of a paper's page (members' page or public reading page).
    path("statements/<paper:slug>/", views.statement_page, name="statement_page"),
    path("statements/<slug:slug>/cosign/", views.cosign, name="cosign"),
    re_path(
        r"^statements/(?P<slug>[-a-zA-Z0-9_]+)/(?P<kind>pdf|docx)/$",
        views.document,
        name="document",
    ),
    path("statements/<slug:slug>/wortlaut.txt", views.wording, name="wording"),
    path("statements/<slug:slug>/verify/", views.verify, name="verify"),
    # Companion versions (issue 19): <code> is "einfach" or a language code.
    path(
        "statements/<slug:slug>/fassung/<slug:code>/",
        companion_views.companion_page,
        name="companion",
    ),
    path(
        "statements/<slug:slug>/fassung/<slug:code>/pdf/",
        companion_views.companion_pdf,
        name="companion_pdf",
    ),
    path(
        "statements/<slug:slug>/fassungen/",
        companion_views.companion_list,
        name="companion_list",
    ),
    path(
        "statements/<slug:slug>/fassungen/<slug:code>/schreiben/",
        companion_views.companion_write,
        name="companion_write",
    ),
    path(
        "statements/<slug:slug>/fassungen/<int:pk>/freigeben/",
        companion_views.companion_approve,
        name="companion_approve",
    ),
    path("api/statements/", api.statement_list, name="api_list"),
    path("api/statements/<slug:slug>/", api.statement_detail, name="api_detail"),
    path("sitemap.xml", views.sitemap_index, name="sitemap"),
    re_path(
        r"^sitemap-(?P<section>statements|companions|pages)\.xml$",
        views.sitemap_section,
        name="sitemap_section",
    ),
    path("coordination/", desk_views.coordination_desk, name="desk"),
    path("coordination/adressbuch/", addressees.address_book, name="address_book"),
    path("statements/<slug:slug>/versand/", addressees.dispatch, name="dispatch"),
    path(
        "statements/<slug:slug>/versand/antwort/<int:pk>/sichtbarkeit/",
        answers.answer_visibility,
        name="answer_visibility",
    ),
    path(
        "statements/<slug:slug>/versand/anhang/<int:pk>/",
        answers.answer_file,
        name="answer_file",
    ),
]
