from django.urls import path

from solidair.telephony import webhooks

app_name = "telephony"

urlpatterns = [
    path("voice/incoming/", webhooks.incoming, name="incoming"),
    path("voice/language/", webhooks.language, name="language"),
    path("voice/choice/", webhooks.choice, name="choice"),
    path("voice/voicemail/", webhooks.voicemail, name="voicemail"),
]
