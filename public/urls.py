from django.urls import path

from public import api, views

app_name = "public"


urlpatterns = [
    path("", views.home, name="home"),
    path("statements/", views.statement_list, name="statement_list"),
    path("statements/feed/", views.feed, name="feed"),
    path("statements/feed/<slug:topic>/", views.feed, name="topic_feed"),
    # Before the statements app's detail route: serves cached public pages, else delegates.
    path("statements/<slug:slug>/", views.statement_page, name="statement_page"),
    path("statements/<slug:slug>/cosign/", views.cosign, name="cosign"),
    path("api/statements/", api.statement_list, name="api_list"),
    path("api/statements/<slug:slug>/", api.statement_detail, name="api_detail"),
    path("sitemap.xml", views.sitemap_xml, name="sitemap"),
]
