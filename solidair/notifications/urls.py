from django.urls import path

from solidair.notifications import reserve, views, webhooks

app_name = "notifications"

urlpatterns = [
    path("console/", views.console, name="console"),
    path("reserve/", reserve.reserve, name="reserve"),
    path("failed/", views.failed, name="failed"),
    path("failed/messages/<int:pk>/retry/", views.message_retry, name="message_retry"),
    path("failed/jobs/<uuid:job_id>/retry/", views.job_retry, name="job_retry"),
    path("push/", views.push_settings, name="push"),
    path("push/subscribe/", views.push_subscribe, name="push_subscribe"),
    path("push/<int:pk>/remove/", views.push_unsubscribe, name="push_unsubscribe"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("service-worker.js", views.service_worker, name="service_worker"),
    path("twilio/status/<int:pk>/", webhooks.twilio_status, name="twilio_status"),
    path("twilio/voice/<int:pk>/", webhooks.twilio_voice, name="twilio_voice"),
]
