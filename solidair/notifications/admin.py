from django.contrib import admin

from solidair.notifications.models import Message, PeriodicJob, PushSubscription


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "channel", "address", "status", "tries"]
    list_filter = ["status", "channel"]
    search_fields = ["idempotency_key", "address", "provider_message_id"]
    raw_id_fields = ["user", "helpee", "fallback_of", "push_subscription", "organisation"]


admin.site.register(PushSubscription)
admin.site.register(PeriodicJob)
