from django.urls import path

from accounts import organisation_views, views

app_name = "accounts"
urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/admission/", views.admission_request, name="admission_request"),
    path("profile/export/", views.profile_export, name="profile_export"),
    path("profile/delete/", views.account_delete, name="account_delete"),
    path("language/", views.set_language, name="set_language"),
    path("members/", views.directory, name="directory"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("coordination/admissions/", views.admission_queue, name="admission_queue"),
    path(
        "coordination/admissions/<int:pk>/decide/", views.admission_decide, name="admission_decide"
    ),
    path("coordination/members/", views.member_admin, name="member_admin"),
    path("coordination/members/<int:pk>/", views.member_action, name="member_action"),
    path("coordination/organisations/", views.organisation_list, name="organisation_list"),
    path(
        "coordination/organisations/<int:pk>/edit/",
        views.organisation_edit,
        name="organisation_edit",
    ),
    path(
        "coordination/memberships/",
        organisation_views.membership_queue,
        name="membership_queue",
    ),
    path(
        "organisations/<int:pk>/members/",
        organisation_views.organisation_members,
        name="organisation_members",
    ),
    path(
        "organisations/memberships/<int:pk>/",
        organisation_views.membership_action,
        name="membership_action",
    ),
    path("coordination/invitations/", views.invitation_list, name="invitation_list"),
    path(
        "coordination/invitations/<int:pk>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
]
