from django.contrib import admin

from solidair.callcentre.models import Callback, HelpLine, PlannedShift, Shift, WelfareConcern


@admin.register(HelpLine)
class HelpLineAdmin(admin.ModelAdmin):
    list_display = ["name", "phone", "organisation", "description"]
    list_filter = ["organisation"]


@admin.register(Shift)
class ShiftAdmin(admin.ModelAdmin):
    list_display = ["operator", "organisation", "started_at", "ended_at"]
    list_filter = ["organisation"]


@admin.register(PlannedShift)
class PlannedShiftAdmin(admin.ModelAdmin):
    list_display = ["operator", "organisation", "starts_at"]
    list_filter = ["organisation"]


@admin.register(Callback)
class CallbackAdmin(admin.ModelAdmin):
    list_display = ["kind", "state", "due_at", "organisation", "failed_tries"]
    list_filter = ["organisation", "kind", "state"]
    readonly_fields = ["helpee", "mission", "claimed_by"]


@admin.register(WelfareConcern)
class WelfareConcernAdmin(admin.ModelAdmin):
    list_display = ["raised_at", "organisation", "resolved_at"]
    list_filter = ["organisation"]
    readonly_fields = ["helpee", "callback", "resolved_by"]
