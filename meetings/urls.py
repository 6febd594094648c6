from django.urls import path

from meetings import views

app_name = "meetings"
urlpatterns = [
    path("meetings/", views.meeting_list, name="list"),
    path("meetings/calendar.ics", views.public_feed, name="public_feed"),
    path("meetings/my-calendar/", views.my_calendar, name="my_calendar"),
    path("meetings/my-calendar/reset/", views.calendar_reset, name="calendar_reset"),
    path("meetings/calendar/<str:token>.ics", views.personal_feed, name="personal_feed"),
    path("meetings/<int:pk>/", views.meeting_detail, name="detail"),
    path("meetings/<int:pk>/rsvp/", views.rsvp, name="rsvp"),
    path("coordination/meetings/", views.manage, name="manage"),
    path("coordination/meetings/series/", views.series, name="series"),
    path("coordination/meetings/<int:pk>/edit/", views.edit, name="edit"),
    path("coordination/meetings/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("coordination/meetings/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("coordination/meetings/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("meetings/<int:pk>/agenda/propose/", views.agenda_propose, name="agenda_propose"),
    path("coordination/meetings/<int:pk>/agenda/", views.agenda, name="agenda"),
    path("coordination/meetings/<int:pk>/agenda/draft/", views.agenda_draft, name="agenda_draft"),
    path("coordination/meetings/<int:pk>/agenda/send/", views.agenda_send, name="agenda_send"),
    path("coordination/agenda/<int:pk>/", views.agenda_item, name="agenda_item"),
    path(
        "coordination/agenda/<int:pk>/delete/", views.agenda_item_delete, name="agenda_item_delete"
    ),
    path("coordination/meetings/<int:pk>/decide/<int:statement_id>/", views.decide, name="decide"),
    path("meetings/<int:pk>/minutes/", views.minutes, name="minutes"),
    path("meetings/<int:pk>/minutes/remark/", views.minutes_remark, name="minutes_remark"),
    path("meetings/<int:pk>/minutes/revisions/", views.minutes_revisions, name="minutes_revisions"),
    path(
        "meetings/<int:pk>/minutes/revisions/<int:number>/",
        views.minutes_revision_diff,
        name="minutes_revision_diff",
    ),
    path(
        "coordination/meetings/<int:pk>/minutes/draft/", views.minutes_draft, name="minutes_draft"
    ),
    path("coordination/meetings/<int:pk>/minutes/edit/", views.minutes_edit, name="minutes_edit"),
    path(
        "coordination/meetings/<int:pk>/minutes/preview/",
        views.minutes_preview,
        name="minutes_preview",
    ),
    path(
        "coordination/meetings/<int:pk>/minutes/autosave/",
        views.minutes_autosave,
        name="minutes_autosave",
    ),
    path(
        "coordination/meetings/<int:pk>/minutes/autosave/discard/",
        views.minutes_autosave_discard,
        name="minutes_autosave_discard",
    ),
    path(
        "coordination/meetings/<int:pk>/minutes/circulate/",
        views.minutes_circulate,
        name="minutes_circulate",
    ),
    path(
        "coordination/meetings/<int:pk>/minutes/approve/",
        views.minutes_approve,
        name="minutes_approve",
    ),
    path("coordination/places/", views.places, name="places"),
    path("coordination/places/<int:pk>/edit/", views.place_edit, name="place_edit"),
]
