"""The phone simulator's pages (in the "telephony" namespace, see urls.py)."""

from django.urls import path

from solidair.telephony import simulator

urlpatterns = [
    path("simulator/", simulator.simulator_page, name="simulator"),
    path("simulator/send/", simulator.simulator_send, name="simulator_send"),
    path("simulator/rings/", simulator.simulator_rings, name="simulator_rings"),
]
