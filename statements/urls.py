from django.urls import path

from statements import presence_views, search_views, topic_views, views

app_name = "statements"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/search/", search_views.member_search, name="search"),
    path("coordination/topics/", topic_views.topic_list, name="topic_list"),
    path("coordination/topics/<int:pk>/edit/", topic_views.topic_edit, name="topic_edit"),
    path("coordination/topics/<int:pk>/delete/", topic_views.topic_delete, name="topic_delete"),
    path("statements/new/", views.statement_new, name="new"),
    path("statements/new/preview/", views.preview_new, name="new_preview"),
    path("statements/<slug:slug>/edit/", views.statement_edit_view, name="edit"),
    path("statements/<slug:slug>/preview/", views.preview, name="preview"),
    path("statements/<slug:slug>/presence/", presence_views.editor_presence, name="presence"),
    path("statements/<slug:slug>/history/", views.history, name="history"),
    path("statements/<slug:slug>/compare/", views.compare, name="compare"),
    path(
        "statements/<slug:slug>/revisions/<int:number>/",
        views.revision_detail,
        name="revision",
    ),
    path(
        "statements/<slug:slug>/revisions/<int:number>/restore/",
        views.restore,
        name="restore",
    ),
    path("statements/<slug:slug>/diff/<int:a>/<int:b>/", views.diff, name="diff"),
    path("statements/<slug:slug>/coauthors/", views.coauthors, name="coauthors"),
    path(
        "statements/<slug:slug>/coauthors/<int:user_id>/remove/",
        views.coauthor_remove_view,
        name="coauthor_remove",
    ),
    path("statements/<slug:slug>/autosave/", views.autosave, name="autosave"),
    path(
        "statements/<slug:slug>/autosave/discard/",
        views.autosave_discard_view,
        name="autosave_discard",
    ),
]
