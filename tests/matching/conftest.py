"""Matching tests: jobs run at once, the console provider, never the network; helpers
placed around Ixelles with a profile that fits by default, so each test changes one
thing."""

import socket
from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from solidair.matching.services import helper_spot_sync, mission_spot_sync
from solidair.missions.models import Theme
from solidair.missions.services import mission_create
from tests.conftest import make_helper

EVERY_DAY = {
    day: ["morning", "afternoon", "evening"]
    for day in ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
}
# About 1 km in latitude.
KM = 1 / 110.574


@pytest.fixture(autouse=True)
def matching_settings(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SOLIDAIR_TASKS_BACKEND = "immediate"
    settings.NOTIFICATIONS_PROVIDER = "console"
    settings.NOTIFICATIONS_CONSOLE_DELAY_MS = 0
    settings.VAPID_PRIVATE_KEY = ""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return settings


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a test tried to reach the network")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def helper_at(cast, name, *, km_north=0.5, sync=True, themes=None, **fields):
    """A verified helper `km_north` km north of the cast's helpee, available all week,
    speaking French, doing groceries, going 5 km."""
    helper = make_helper(
        cast.organisation,
        name,
        verified=fields.pop("verified", True),
        latitude=cast.helpee.latitude + km_north * KM,
        longitude=cast.helpee.longitude,
    )
    fields.setdefault("availability", EVERY_DAY)
    fields.setdefault("radius_km", 5)
    for key, value in fields.items():
        setattr(helper, key, value)
    helper.save()
    helper.themes.set(themes if themes is not None else [cast.groceries])
    if sync:
        helper_spot_sync(helper=helper)
    return helper


def next_monday() -> date:
    today = timezone.localdate()
    return today + timedelta(days=7 - today.weekday())


def published_mission(cast, *, theme=None, helpee=None, **fields):
    """A published mission for the cast's helpee (next Monday morning by default)."""
    fields.setdefault("day", next_monday())
    fields.setdefault("time_from", time(9))
    fields.setdefault("time_to", time(11))
    fields.setdefault("timing", "window" if fields["day"] else "asap")
    mission = mission_create(
        helpee=helpee or cast.helpee,
        theme=theme or cast.groceries,
        by=cast.trusted_operator,
        details="Bread, milk and apples.",
        **fields,
    )
    assert mission.state == "published"
    mission_spot_sync(mission=mission)
    return mission


def phone_theme():
    theme, _created = Theme.objects.get_or_create(
        key="phone-support",
        defaults={
            "name_fr": "Soutien moral par téléphone",
            "name_nl": "Moreel gezelschap per telefoon",
            "name_en": "Moral support by phone",
            "name_de": "Moralische Unterstützung am Telefon",
            "needs_proximity": False,
            "reach_km": 0,
        },
    )
    if theme.needs_proximity:
        theme.needs_proximity = False
        theme.save()
    return theme
