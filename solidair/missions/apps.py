from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MissionsConfig(AppConfig):
    name = "solidair.missions"
    label = "missions"
    verbose_name = _("Missions")
