from django.urls import path

from public import views

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("statements/", views.statement_list, name="statement_list"),
    path("statements/feed/", views.feed, name="feed"),
]
