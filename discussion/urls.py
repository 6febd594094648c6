from django.urls import path

from discussion import views

app_name = "discussion"
urlpatterns = [
    path("statements/<slug:slug>/comments/", views.comment_create, name="comment_create"),
    path(
        "statements/<slug:slug>/suggestions/apply/",
        views.suggestions_apply,
        name="suggestions_apply",
    ),
    path("comments/<int:pk>/reply/", views.comment_reply, name="comment_reply"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:pk>/history/", views.comment_history, name="comment_history"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment_delete"),
    path("comments/<int:pk>/resolve/", views.comment_resolve, name="comment_resolve"),
    path("comments/<int:pk>/reopen/", views.comment_reopen, name="comment_reopen"),
    path("comments/<int:pk>/apply/", views.suggestion_apply, name="suggestion_apply"),
    path("comments/<int:pk>/decline/", views.suggestion_decline, name="suggestion_decline"),
    path("comments/<int:pk>/report/", views.comment_report, name="comment_report"),
    path("comments/<int:pk>/hide/", views.comment_hide, name="comment_hide"),
    path("comments/<int:pk>/unhide/", views.comment_unhide, name="comment_unhide"),
    path("coordination/reports/", views.report_queue, name="report_queue"),
    path("coordination/reports/<int:pk>/dismiss/", views.report_dismiss, name="report_dismiss"),
    path("members/autocomplete/", views.member_autocomplete, name="member_autocomplete"),
]
