from django.contrib import admin
from django.http import HttpRequest

from solidair.telephony.models import LineNumber, LineSettings, OpeningHours, Ring


@admin.register(LineSettings)
class LineSettingsAdmin(admin.ModelAdmin):
    list_display = [
        "organisation",
        "ring_strategy",
        "ring_seconds",
        "wait_limit_seconds",
        "closed_on_public_holidays",
    ]


@admin.register(OpeningHours)
class OpeningHoursAdmin(admin.ModelAdmin):
    list_display = ["organisation", "weekday", "opens", "closes"]
    list_filter = ["organisation", "weekday"]


@admin.register(LineNumber)
class LineNumberAdmin(admin.ModelAdmin):
    list_display = ["number", "organisation", "label"]
    search_fields = ["number", "label"]


@admin.register(Ring)
class RingAdmin(admin.ModelAdmin):
    """A log: what rang, for whom, and how it ended; never edited by hand."""

    list_display = ["started_at", "operator", "call", "outcome", "ended_at"]
    list_filter = ["outcome"]
    raw_id_fields = ["call", "shift", "operator"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Ring | None = None) -> bool:
        return False
