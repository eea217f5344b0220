from django.apps import AppConfig


class TelephonyConfig(AppConfig):
    name = "solidair.telephony"
    label = "telephony"
