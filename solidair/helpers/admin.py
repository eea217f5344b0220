from django.contrib import admin

from solidair.helpers.models import (
    Dismissal,
    IdentityDocument,
    IdentityImageView,
    MissionFeedback,
    MissionReport,
)


@admin.register(IdentityDocument)
class IdentityDocumentAdmin(admin.ModelAdmin):
    # The images are reviewed at /helpers/review/, where each view is logged.
    list_display = ["helper", "document_type", "outcome", "uploaded_at", "decided_by"]
    list_filter = ["outcome", "document_type"]
    exclude = ["front", "back"]
    readonly_fields = ["images_deleted_at", "mrz_checked", "national_number_checked"]


@admin.register(IdentityImageView)
class IdentityImageViewAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "helper", "page"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(MissionReport)
class MissionReportAdmin(admin.ModelAdmin):
    list_display = ["mission", "helper", "amount_spent", "payback", "created_at"]
    exclude = ["receipt"]


admin.site.register(Dismissal)
admin.site.register(MissionFeedback)
