from django.urls import path

from workflow import views

app_name = "workflow"
urlpatterns = [
    path(
        "statements/<slug:slug>/transition/<str:name>/",
        views.transition_confirm,
        name="transition",
    ),
    path("statements/<slug:slug>/urgent/", views.urgent, name="urgent"),
    path("statements/<slug:slug>/extend-voting/", views.extend_voting, name="extend_voting"),
]
