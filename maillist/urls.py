from django.urls import path

from maillist import feeds, views

app_name = "maillist"
urlpatterns = [
    path("verteiler/", views.archive, name="archive"),
    path("verteiler/neu/", views.post_new, name="post_new"),
    path("verteiler/<int:pk>/", views.post_detail, name="post"),
    path("verteiler/foerderhinweise/", views.funding_board, name="funding"),
    path("verteiler/feed/", feeds.PublicPostsFeed(), name="feed"),
    path("coordination/verteiler/", views.held_list, name="held"),
    path("coordination/verteiler/<int:pk>/entscheiden/", views.post_decide, name="decide"),
    path("coordination/verteiler/einstellungen/", views.type_settings, name="settings"),
]
urlpatterns += [
    path("verteiler/abonnieren/", views.subscribe, name="subscribe"),
    path("verteiler/abonnieren/<str:token>/", views.subscribe_confirm, name="confirm"),
    path("verteiler/abmelden/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("verteiler/arten/<str:token>/", views.subscriber_types, name="subscriber_types"),
    path("verteiler/meine-arten/", views.member_types, name="member_types"),
    path("coordination/verteiler/abonnements/", views.subscriber_list, name="subscribers"),
    path(
        "coordination/verteiler/abonnements/<int:pk>/entfernen/",
        views.subscriber_remove,
        name="subscriber_remove",
    ),
]
