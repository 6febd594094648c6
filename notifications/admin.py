from django.contrib import admin

from notifications.models import Follow, Notification, Preference, PublicSubscriber


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = (
        "kind",
        "channel",
        "status",
        "recipient",
        "subscriber",
        "invitation",
        "attempts",
        "created_at",
        "sent_at",
    )
    list_filter = ("status", "channel", "kind")
    search_fields = ("event_key", "recipient__email", "subscriber__email", "invitation__email")
    raw_id_fields = ("recipient", "subscriber", "invitation", "statement")
    readonly_fields = ("event_key", "context", "created_at", "sent_at", "lease_until")


@admin.register(PublicSubscriber)
class PublicSubscriberAdmin(admin.ModelAdmin):
    list_display = ("email", "language", "created_at", "confirmed_at", "unsubscribed_at")
    search_fields = ("email",)
    exclude = ("token",)


admin.site.register(Preference)
admin.site.register(Follow)
