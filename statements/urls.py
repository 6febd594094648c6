from django.urls import path

from statements import views

app_name = "statements"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("statements/new/", views.statement_new, name="new"),
    path("statements/<slug:slug>/", views.statement_detail, name="detail"),
]
