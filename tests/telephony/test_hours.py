"""Opening hours, in the organisation's time zone, and public holidays: a caller outside
them hears that the line is closed and may leave a message, which becomes a callback."""

import datetime
import zoneinfo

import pytest

from solidair.callcentre.models import Call, Callback, CallbackKind
from solidair.telephony import hours
from solidair.telephony.hours import line_open
from solidair.telephony.models import LineSettings, OpeningHours, Ring
from tests.telephony.conftest import CALLER, caller_waits, operator_on_shift, target

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


@pytest.fixture
def today_is_not_a_public_holiday():
    """Here the real calendar counts."""


def at(year, month, day, hour, minute=0, zone=BRUSSELS):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=zone)


@pytest.fixture
def weekdays_nine_to_five(cast):
    for weekday in range(5):
        OpeningHours.objects.create(
            organisation=cast.organisation,
            weekday=weekday,
            opens=datetime.time(9),
            closes=datetime.time(17),
        )
    return cast.organisation


def test_a_line_without_opening_hours_is_always_open(cast):
    assert line_open(cast.organisation, at(2025, 11, 15, 3))  # a Saturday night


def test_the_line_opens_and_closes_at_its_hours(weekdays_nine_to_five):
    organisation = weekdays_nine_to_five
    assert not line_open(organisation, at(2025, 11, 12, 8, 59))  # a Wednesday
    assert line_open(organisation, at(2025, 11, 12, 9))
    assert line_open(organisation, at(2025, 11, 12, 16, 59))
    assert not line_open(organisation, at(2025, 11, 12, 17))
    assert not line_open(organisation, at(2025, 11, 15, 10))  # Saturday


def test_the_hours_are_read_in_the_organisations_time_zone(weekdays_nine_to_five):
    organisation = weekdays_nine_to_five
    utc = zoneinfo.ZoneInfo("UTC")
    # 8:30 UTC in November is 9:30 in Brussels: open.
    assert line_open(organisation, at(2025, 11, 12, 8, 30, zone=utc))
    organisation.time_zone = "America/New_York"
    organisation.save()
    assert not line_open(organisation, at(2025, 11, 12, 8, 30, zone=utc))  # 3:30 there


def test_a_day_with_two_openings(cast):
    for opens, closes in [(9, 12), (14, 18)]:
        OpeningHours.objects.create(
            organisation=cast.organisation,
            weekday=0,
            opens=datetime.time(opens),
            closes=datetime.time(closes),
        )
    assert line_open(cast.organisation, at(2025, 11, 10, 11))  # a Monday
    assert not line_open(cast.organisation, at(2025, 11, 10, 13))
    assert line_open(cast.organisation, at(2025, 11, 10, 15))


def test_the_belgian_national_day_is_closed(weekdays_nine_to_five):
    assert not line_open(weekdays_nine_to_five, at(2025, 7, 21, 10))  # a Monday
    assert line_open(weekdays_nine_to_five, at(2025, 7, 22, 10))


def test_a_line_always_open_still_closes_on_public_holidays(cast):
    assert not line_open(cast.organisation, at(2025, 12, 25, 10))


def test_a_line_may_stay_open_on_public_holidays(weekdays_nine_to_five):
    LineSettings.objects.create(organisation=weekdays_nine_to_five, closed_on_public_holidays=False)
    assert line_open(weekdays_nine_to_five, at(2025, 7, 21, 10))


def test_holidays_follow_the_organisations_country(cast):
    geneva = cast.elsewhere  # Switzerland: 1 August, not 21 July
    assert not line_open(geneva, at(2025, 8, 1, 10))
    assert line_open(geneva, at(2025, 7, 21, 10))


def test_a_caller_outside_the_hours_hears_the_line_is_closed_and_leaves_a_message(
    line, provider, weekdays_nine_to_five, monkeypatch
):
    monkeypatch.setattr(hours.timezone, "now", lambda: at(2025, 11, 15, 10))  # Saturday
    operator_on_shift(line, "bram", ["nl"], phone="+32470000002")
    root = caller_waits(provider, language="nl", choice="2")
    say, record, redirect = list(root)
    assert say.get("language") == "nl-NL" and root.find("Enqueue") is None
    assert record.tag == "Record"
    assert target(record.get("action")) == ("/telephony/voice/voicemail/", {"choice": "2"})
    assert not Ring.objects.exists()
    call = Call.objects.get()
    assert call.choice == "2" and call.queued_at is None
    provider.twiml("/telephony/voice/voicemail/?choice=2", RecordingUrl="https://api.twilio.com/R")
    callback = Callback.objects.get()
    assert callback.kind == CallbackKind.VOICEMAIL and callback.phone == CALLER


def test_a_caller_on_a_public_holiday_hears_the_line_is_closed(line, provider, monkeypatch):
    monkeypatch.setattr(hours.timezone, "now", lambda: at(2025, 7, 21, 11))
    root = caller_waits(provider, language="fr")
    assert root.find("Record") is not None and root.find("Enqueue") is None
    assert "fermée" in root.find("Say").text or "closed" in root.find("Say").text
