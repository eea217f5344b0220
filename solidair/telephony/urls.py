from django.urls import path

from solidair.telephony import webhooks
from solidair.telephony.urls_more import urlpatterns as more_urlpatterns
from solidair.telephony.urls_simulator import urlpatterns as simulator_urlpatterns

app_name = "telephony"

urlpatterns = [
    path("voice/incoming/", webhooks.incoming, name="incoming"),
    path("voice/language/", webhooks.language, name="language"),
    path("voice/choice/", webhooks.choice, name="choice"),
    path("voice/voicemail/", webhooks.voicemail, name="voicemail"),
    path("voice/wait/", webhooks.wait, name="wait"),
    path("voice/queue-done/", webhooks.queue_done, name="queue_done"),
    path("voice/status/", webhooks.status, name="status"),
    path("voice/operator/whisper/", webhooks.whisper, name="whisper"),
    path("voice/operator/take/", webhooks.take, name="take"),
    path("voice/operator/status/", webhooks.ring_status, name="ring_status"),
    *more_urlpatterns,
    *simulator_urlpatterns,
]
