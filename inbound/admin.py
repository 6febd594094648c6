from django.contrib import admin

from core.admin import ReadOnlyAdmin
from inbound.models import InboundMessage


@admin.register(InboundMessage)
class InboundMessageAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "sender", "decision", "target", "created")
    list_filter = ("decision",)
    search_fields = ("sender", "message_key")
