from django.urls import path

from solidair.callcentre import public, views, views_helpees, views_missions, views_rota

urlpatterns = [
    path("operator/", views.console, name="operator_home"),
    path("operator/live/", views.console_live, name="console_live"),
    path("operator/shift/start/", views.shift_start, name="shift_start"),
    path("operator/shift/end/", views.shift_end, name="shift_end"),
    path("calls/take/", views.call_take, name="call_take"),
    path("calls/<int:pk>/end/", views.call_end, name="call_end"),
    path("listening/new/", views.support_call_new, name="support_call_new"),
    path("callbacks/", views.callbacks, name="callbacks"),
    path("callbacks/<int:pk>/", views.callback_detail, name="callback_detail"),
    path("callbacks/<int:pk>/claim/", views.callback_claim, name="callback_claim"),
    path("callbacks/<int:pk>/recording/", views.callback_recording, name="callback_recording"),
    path("concerns/<int:pk>/resolve/", views.concern_resolve, name="concern_resolve"),
    path("rota/", views_rota.rota, name="rota"),
    path("rota/<int:pk>/remove/", views_rota.rota_remove, name="rota_remove"),
    path("help-lines/", views_rota.help_lines, name="help_lines"),
    path("help-lines/<int:pk>/remove/", views_rota.help_line_remove, name="help_line_remove"),
    path("trouble/", views_missions.trouble, name="trouble"),
    path("missions/<int:pk>/reject/", views_missions.mission_reject_view, name="mission_reject"),
    path("missions/<int:pk>/assign/", views_missions.mission_assign_view, name="mission_assign"),
    path(
        "missions/<int:pk>/not-my-volunteer/",
        views_missions.mission_door_alert_view,
        name="mission_door_alert",
    ),
    path("helpees/consent-text/", views_helpees.consent_text_view, name="consent_text"),
    path("helpees/<int:pk>/merge/", views_helpees.helpee_merge, name="helpee_merge"),
    path("helpees/<int:pk>/place/", views_helpees.helpee_place, name="helpee_place"),
    path("request/", public.request_choose, name="request_choose"),
    path("request/<slug:slug>/", public.public_request, name="public_request"),
    path("request/<slug:slug>/thanks/", public.public_request_thanks, name="public_request_thanks"),
]
