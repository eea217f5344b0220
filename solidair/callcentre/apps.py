from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallcentreConfig(AppConfig):
    name = "solidair.callcentre"
    label = "callcentre"
    verbose_name = _("Call centre")
