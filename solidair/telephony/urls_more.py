"""Masked calls, inbound SMS and the coordinators' line pages (kept apart from the
help line's voice webhooks in urls.py)."""

from django.urls import path

from solidair.telephony import views_helper, views_line, webhooks_more

urlpatterns = [
    # The provider's webhooks.
    path("voice/masked/bridge/", webhooks_more.masked_bridge, name="masked_bridge"),
    path("voice/masked/whisper/", webhooks_more.masked_whisper, name="masked_whisper"),
    path("voice/masked/accept/", webhooks_more.masked_accept, name="masked_accept"),
    path("voice/masked/done/", webhooks_more.masked_done, name="masked_done"),
    path("voice/masked/status/", webhooks_more.masked_status, name="masked_status"),
    path("sms/incoming/", webhooks_more.sms_incoming, name="sms_incoming"),
    # The helper's buttons.
    path("missions/<int:pk>/call-helpee/", views_helper.masked_call, name="masked_call"),
    path("offers/pause/", views_helper.offers_pause, name="offers_pause"),
    path("offers/resume/", views_helper.offers_resume, name="offers_resume"),
    # The coordinators' pages.
    path("line/", views_line.line_page, name="line"),
    path("line/settings/", views_line.line_settings, name="line_settings"),
    path("line/hours/", views_line.opening_hours_add, name="opening_hours_add"),
    path(
        "line/hours/<int:pk>/remove/",
        views_line.opening_hours_remove,
        name="opening_hours_remove",
    ),
    path("line/numbers/", views_line.line_number_add, name="line_number_add"),
    path("line/numbers/<int:pk>/remove/", views_line.line_number_remove, name="line_number_remove"),
    path("blocked/", views_line.blocked_callers, name="blocked_callers"),
    path(
        "blocked/<int:pk>/remove/",
        views_line.blocked_caller_remove,
        name="blocked_caller_remove",
    ),
]
