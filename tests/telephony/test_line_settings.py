"""Coordinators set how the help line rings, when it is open and which further numbers
ring it; bad input gets a clear message and keeps what was typed."""

import datetime
import zoneinfo

import pytest

from solidair.telephony.hours import line_settings
from solidair.telephony.models import LineNumber, LineSettings, OpeningHours
from tests.conftest import login
from tests.telephony.conftest import HOTLINE

PAGE = "/telephony/line/"


@pytest.fixture
def coordinator(client, cast):
    return login(client, cast.coordinator)


def test_an_organisation_without_settings_gets_the_defaults(coordinator, cast):
    settings = line_settings(cast.organisation)
    assert settings.pk is None
    assert (settings.ring_strategy, settings.ring_seconds, settings.wait_limit_seconds) == (
        "longest_idle",
        20,
        180,
    )
    page = coordinator.get(PAGE).content.decode()
    assert 'value="20"' in page and 'value="180"' in page
    assert "No opening hours: the line is always open." in page


def test_a_coordinator_saves_the_ringing(coordinator, cast):
    response = coordinator.post(
        PAGE + "settings/",
        {
            "settings-ring_strategy": "simultaneous",
            "settings-ring_seconds": "25",
            "settings-wait_limit_seconds": "300",
        },
        follow=True,
    )
    assert "The help line&#x27;s settings are saved." in response.content.decode()
    saved = LineSettings.objects.get(organisation=cast.organisation)
    assert (saved.ring_strategy, saved.ring_seconds, saved.wait_limit_seconds) == (
        "simultaneous",
        25,
        300,
    )
    assert saved.closed_on_public_holidays is False


def test_a_ring_too_short_is_refused_and_the_rest_kept(coordinator):
    response = coordinator.post(
        PAGE + "settings/",
        {
            "settings-ring_strategy": "simultaneous",
            "settings-ring_seconds": "2",
            "settings-wait_limit_seconds": "300",
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "greater than or equal to 5" in text and 'value="300"' in text
    assert not LineSettings.objects.exists()


def test_a_coordinator_adds_and_removes_opening_hours(coordinator, cast):
    coordinator.post(
        PAGE + "hours/", {"hours-weekday": "0", "hours-opens": "09:00", "hours-closes": "12:30"}
    )
    coordinator.post(
        PAGE + "hours/", {"hours-weekday": "0", "hours-opens": "14:00", "hours-closes": "18:00"}
    )
    rows = list(OpeningHours.objects.values_list("weekday", "opens", "closes"))
    assert rows == [
        (0, datetime.time(9), datetime.time(12, 30)),
        (0, datetime.time(14), datetime.time(18)),
    ]
    page = coordinator.get(PAGE).content.decode()
    assert "09:00" in page and "12:30" in page
    morning = OpeningHours.objects.get(opens=datetime.time(9))
    coordinator.post(f"{PAGE}hours/{morning.pk}/remove/")
    assert list(OpeningHours.objects.values_list("opens", flat=True)) == [datetime.time(14)]


@pytest.mark.parametrize("midnight", ["24:00", "24h", "00:00"])
def test_a_line_open_until_midnight(coordinator, cast, midnight):
    from solidair.telephony.hours import line_open

    response = coordinator.post(
        PAGE + "hours/",
        {"hours-weekday": "4", "hours-opens": "18:00", "hours-closes": midnight},
        follow=True,
    )
    assert "Open on Friday 18:00–24:00." in response.content.decode()
    opening = OpeningHours.objects.get()
    assert opening.closes == datetime.time.max
    assert "<td>24:00</td>" in coordinator.get(PAGE).content.decode()
    brussels = zoneinfo.ZoneInfo("Europe/Brussels")
    friday = datetime.datetime(2025, 11, 14, 23, 59, 30, tzinfo=brussels)
    assert line_open(cast.organisation, friday)
    assert not line_open(cast.organisation, friday + datetime.timedelta(minutes=2))  # Saturday


def test_closing_before_opening_is_refused_with_a_clear_message(coordinator):
    response = coordinator.post(
        PAGE + "hours/", {"hours-weekday": "2", "hours-opens": "17:00", "hours-closes": "09:00"}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "The line must close after it opens (17:00)." in text
    assert 'value="17:00"' in text
    assert not OpeningHours.objects.exists()


def test_overlapping_hours_on_the_same_day_are_refused(coordinator, cast):
    OpeningHours.objects.create(
        organisation=cast.organisation, weekday=1, opens=datetime.time(9), closes=datetime.time(12)
    )
    response = coordinator.post(
        PAGE + "hours/", {"hours-weekday": "1", "hours-opens": "11:00", "hours-closes": "13:00"}
    )
    assert response.status_code == 400
    assert "This overlaps the opening from 09:00 to 12:00 on that day." in (
        response.content.decode()
    )
    # Another day is fine.
    coordinator.post(
        PAGE + "hours/", {"hours-weekday": "2", "hours-opens": "11:00", "hours-closes": "13:00"}
    )
    assert OpeningHours.objects.count() == 2


def test_a_coordinator_adds_a_further_number_in_e164(coordinator, cast):
    response = coordinator.post(
        PAGE + "numbers/", {"number-number": "02 555 01 99", "number-label": "Posters"}, follow=True
    )
    assert "02 555 01 99 now rings the help line." in response.content.decode()
    number = LineNumber.objects.get()
    assert (number.organisation, number.number, number.label) == (
        cast.organisation,
        "+3225550199",
        "Posters",
    )
    coordinator.post(f"{PAGE}numbers/{number.pk}/remove/")
    assert not LineNumber.objects.exists()


def test_a_number_that_already_rings_a_line_is_refused(coordinator, cast):
    cast.organisation.hotline_number = HOTLINE
    cast.organisation.save()
    LineNumber.objects.create(organisation=cast.elsewhere, number="+3225550199")
    for typed in ("02 555 01 00", "02 555 01 99"):
        response = coordinator.post(PAGE + "numbers/", {"number-number": typed})
        assert response.status_code == 400
        assert f"{typed} already rings a help line." in response.content.decode()
    response = coordinator.post(PAGE + "numbers/", {"number-number": "555"})
    assert response.status_code == 400 and "is not a valid phone number" in (
        response.content.decode()
    )
    assert LineNumber.objects.count() == 1


def test_an_administrator_keeps_the_line_and_an_operator_does_not(client, cast):
    from tests.conftest import make_user

    admin = make_user(cast.organisation, "admin", "admin")
    login(client, admin)
    assert client.get(PAGE).status_code == 200
    login(client, cast.operator)
    assert client.get(PAGE).status_code == 403
    response = client.post(
        PAGE + "hours/", {"hours-weekday": "0", "hours-opens": "09:00", "hours-closes": "12:00"}
    )
    assert response.status_code == 403
    assert not OpeningHours.objects.exists()


def test_another_organisations_coordinator_cannot_remove_our_hours(client, cast):
    opening = OpeningHours.objects.create(
        organisation=cast.organisation, weekday=1, opens=datetime.time(9), closes=datetime.time(12)
    )
    login(client, cast.outsider)
    assert client.post(f"{PAGE}hours/{opening.pk}/remove/").status_code == 404
    assert OpeningHours.objects.exists()


def test_the_coordinators_menu_links_the_line_pages(coordinator):
    page = coordinator.get("/coordinator/").content.decode()
    assert 'href="/telephony/line/"' in page and 'href="/telephony/blocked/"' in page


def test_a_coordinator_of_two_organisations_keeps_each_line(coordinator, cast):
    from solidair.telephony.models import BlockedCaller

    cast.coordinator.roles.create(organisation=cast.elsewhere, kind="coordinator")
    first, second = sorted([cast.organisation, cast.elsewhere], key=lambda o: o.pk)
    page = coordinator.get(PAGE).content.decode()
    assert f'href="?organisation={second.pk}"' in page  # the other line, one click away
    assert f'href="?organisation={first.pk}" aria-current="page"' in page
    response = coordinator.post(
        f"{PAGE}hours/?organisation={second.pk}",
        {"hours-weekday": "2", "hours-opens": "09:00", "hours-closes": "12:00"},
    )
    assert response["Location"] == f"{PAGE}?organisation={second.pk}"
    assert OpeningHours.objects.get().organisation == second
    response = coordinator.post(
        f"/telephony/blocked/?organisation={second.pk}",
        {"number": "+41 79 123 45 67", "reason": "Insults the operators"},
    )
    assert response["Location"] == f"/telephony/blocked/?organisation={second.pk}"
    blocked = BlockedCaller.objects.get()
    assert (blocked.organisation, blocked.number) == (second, "+41791234567")
    listed = coordinator.get(f"/telephony/blocked/?organisation={second.pk}").content.decode()
    assert "Insults the operators" in listed
    assert "Insults the operators" not in coordinator.get("/telephony/blocked/").content.decode()


def test_a_line_one_does_not_keep_cannot_be_chosen(coordinator, cast):
    for chosen in (cast.elsewhere.pk, "x"):
        assert coordinator.get(f"{PAGE}?organisation={chosen}").status_code == 403
        response = coordinator.post(
            f"{PAGE}hours/?organisation={chosen}",
            {"hours-weekday": "2", "hours-opens": "09:00", "hours-closes": "12:00"},
        )
        assert response.status_code == 403
    assert not OpeningHours.objects.exists()
