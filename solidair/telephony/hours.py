"""When an organisation's help line is open: its opening hours per weekday, in its own
time zone, and its country's public holidays (when it closes on them)."""

import datetime
import zoneinfo

import holidays
from django.utils import timezone

from solidair.people.models import Organisation
from solidair.telephony.models import LineSettings, OpeningHours


def line_settings(organisation: Organisation) -> LineSettings:
    """The organisation's settings, or the defaults (unsaved) when it has none."""
    found = LineSettings.objects.filter(organisation=organisation).first()
    return found or LineSettings(organisation=organisation)


def _local(organisation: Organisation, at: datetime.datetime) -> datetime.datetime:
    try:
        zone = zoneinfo.ZoneInfo(organisation.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("Europe/Brussels")
    return at.astimezone(zone)


def public_holiday(organisation: Organisation, day: datetime.date) -> bool:
    if not organisation.country:
        return False
    try:
        calendar = holidays.country_holidays(organisation.country, years=day.year)
    except NotImplementedError:
        return False
    return day in calendar


def line_open(organisation: Organisation, at: datetime.datetime | None = None) -> bool:
    """True when a caller should reach the operators now. No opening hours: always open;
    a closing time is not included (open 9:00–17:00 is closed at 17:00)."""
    local = _local(organisation, at or timezone.now())
    if line_settings(organisation).closed_on_public_holidays and public_holiday(
        organisation, local.date()
    ):
        return False
    hours = OpeningHours.objects.filter(organisation=organisation)
    if not hours.exists():
        return True
    now = local.time().replace(tzinfo=None)
    return hours.filter(weekday=local.weekday(), opens__lte=now, closes__gt=now).exists()
