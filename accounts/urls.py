from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("members/", views.directory, name="directory"),
    path("coordination/admissions/", views.admission_queue, name="admission_queue"),
]
