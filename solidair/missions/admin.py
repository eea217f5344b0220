from django.contrib import admin

from solidair.missions.models import Mission, MissionEvent, Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["key", "name_fr", "name_nl", "name_en", "name_de", "needs_proximity", "active"]
    list_editable = ["active"]
    prepopulated_fields = {"key": ["name_en"]}


class MissionEventInline(admin.TabularInline):
    model = MissionEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "actor", "from_state", "to_state", "reason"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Mission)
class MissionAdmin(admin.ModelAdmin):
    """Missions change state through the console's services, never here."""

    list_display = ["pk", "organisation", "theme", "state", "created_at"]
    list_filter = ["organisation", "state", "theme"]
    inlines = [MissionEventInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
