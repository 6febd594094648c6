from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/<int:pk>/read/", views.mark_read, name="mark_read"),
    path("notifications/read-all/", views.mark_all_read, name="mark_all_read"),
    path(
        "notifications/paper/<int:statement_id>/read/",
        views.mark_paper_read,
        name="mark_paper_read",
    ),
    path("notifications/preferences/", views.preferences, name="preferences"),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("statements/<slug:slug>/follow/", views.follow, name="follow"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("subscribe/confirm/<str:token>/", views.subscribe_confirm, name="subscribe_confirm"),
    path("coordination/notifications/", views.failed_list, name="failed"),
    path("coordination/notifications/retry/", views.retry, name="retry"),
]
