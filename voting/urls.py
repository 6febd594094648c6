from django.urls import path

from voting import views

app_name = "voting"
urlpatterns = [
    path("statements/<slug:slug>/vote/", views.vote, name="vote"),
]
