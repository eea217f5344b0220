from django.contrib import admin

from solidair.matching.models import Dispatch, DispatchPolicy, Offer


@admin.register(DispatchPolicy)
class DispatchPolicyAdmin(admin.ModelAdmin):
    list_display = ["organisation", "wave_size", "wait_minutes", "waves", "alerts_per_day"]


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["mission", "helper", "round", "wave", "status", "sent_at", "answered_at"]
    list_filter = ["status"]
    raw_id_fields = ["mission", "helper"]
    readonly_fields = ["mission", "helper", "round", "wave", "distance_km", "sent_at"]


@admin.register(Dispatch)
class DispatchAdmin(admin.ModelAdmin):
    list_display = ["mission", "round", "wave", "next_wave_at", "finished_at"]
    raw_id_fields = ["mission"]
