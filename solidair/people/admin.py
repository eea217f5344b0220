from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from solidair.people.models import (
    AccessLog,
    Helpee,
    HelpeePhone,
    Helper,
    Organisation,
    Role,
    User,
)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "hotline_number", "time_zone"]
    prepopulated_fields = {"slug": ["name"]}


class RoleInline(admin.TabularInline):
    model = Role
    extra = 1


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "language", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [RoleInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "phone", "language")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")}),
    )
    add_fieldsets = ((None, {"fields": ("email", "password1", "password2")}),)
    filter_horizontal = ()
    list_filter = ["is_active", "is_staff"]


@admin.register(Helper)
class HelperAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "postcode", "verification", "available_now"]
    list_filter = ["organisation", "verification"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "postcode"]
    raw_id_fields = ["user"]

    def save_related(self, request, form, formsets, change):
        """After the helper and their themes are saved, matching's copy follows: a
        verification revoked here stops the offers at once."""
        super().save_related(request, form, formsets, change)
        from solidair.matching.services import helper_spot_sync  # matching imports people

        helper_spot_sync(helper=form.instance)


class HelpeePhoneInline(admin.TabularInline):
    model = HelpeePhone
    extra = 0


@admin.register(Helpee)
class HelpeeAdmin(admin.ModelAdmin):
    """Read-only outside the console: the console logs every view of a helpee's details."""

    list_display = ["pk", "organisation", "postcode", "language"]
    list_filter = ["organisation", "language"]

    def has_view_permission(self, request, obj=None):
        return False


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "helpee", "page"]
    list_filter = ["at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
