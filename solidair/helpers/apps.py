from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpersConfig(AppConfig):
    name = "solidair.helpers"
    label = "helpers"
    verbose_name = _("Helpers")
