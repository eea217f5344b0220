"""A coordinator keeps the help line with the keyboard alone: blocks a number, sets
opening hours; the pages, and their error messages, pass axe-core. A helper's pause
switch and call button, too."""

import datetime

import pytest

from solidair.missions import services as missions
from solidair.telephony.models import BlockedCaller, MaskedCall, OpeningHours
from tests.browser.conftest import assert_accessible
from tests.browser.test_call_centre import log_in, type_into

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def press(page, name):
    page.get_by_role("button", name=name).focus()
    page.keyboard.press("Enter")


def test_a_coordinator_blocks_a_number_and_sets_opening_hours_with_the_keyboard(page, cast):
    # She keeps two lines: the pages say which, and let her switch.
    cast.coordinator.roles.create(organisation=cast.elsewhere, kind="coordinator")
    log_in(page, cast.coordinator)
    page.get_by_role("link", name="Blocked callers").focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Block a number").wait_for()
    assert_accessible(page)
    # A number that cannot be read: a clear message, and the reason is kept.
    type_into(page, "#id_number", "0475 12")
    page.keyboard.press("Tab")
    page.keyboard.type("Insults the operators every night")
    page.keyboard.press("Enter")
    page.get_by_text("is not a valid phone number").wait_for()
    assert page.locator("#id_reason").input_value() == "Insults the operators every night"
    assert_accessible(page)
    page.locator("#id_number").fill("")
    type_into(page, "#id_number", "0475 12 34 56")
    page.keyboard.press("Enter")
    page.get_by_text("Calls from 0475 12 34 56 are now refused.").wait_for()
    assert_accessible(page)
    blocked = BlockedCaller.objects.get()
    assert (blocked.number, blocked.reason) == ("+32475123456", "Insults the operators every night")

    page.get_by_role("link", name="Help line settings").first.focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Opening hours").wait_for()
    assert_accessible(page)
    # Closing before opening is refused.
    type_into(page, "#id_hours-weekday", "Tuesday")  # the select follows what is typed
    page.keyboard.press("Tab")
    page.keyboard.type("18:00")
    page.keyboard.press("Tab")
    page.keyboard.type("9h")
    page.keyboard.press("Enter")
    page.get_by_text("The line must close after it opens (18:00).").wait_for()
    assert_accessible(page)
    assert not OpeningHours.objects.exists()
    assert page.locator("#id_hours-opens").input_value() == "18:00"  # nothing typed is lost
    page.locator("#id_hours-opens").fill("")
    type_into(page, "#id_hours-opens", "9:00")
    page.keyboard.press("Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type("12.30")
    page.keyboard.press("Enter")
    page.get_by_text("Open on Tuesday 09:00–12:30.").wait_for()
    assert_accessible(page)
    opening = OpeningHours.objects.get()
    assert (opening.weekday, opening.opens, opening.closes) == (
        1,
        datetime.time(9),
        datetime.time(12, 30),
    )
    # And removed again, with the keyboard.
    press(page, "remove Tuesday 09:00–12:30")
    page.get_by_text("No opening hours: the line is always open.").wait_for()
    assert not OpeningHours.objects.exists()
    # The other line, one link away, with the keyboard.
    lines = page.get_by_role("navigation", name="Help lines you keep")
    assert (
        lines.get_by_role("link", name=cast.organisation.name).get_attribute("aria-current")
        == "page"
    )
    lines.get_by_role("link", name=cast.elsewhere.name).focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/telephony/line/?organisation={cast.elsewhere.pk}")
    assert cast.elsewhere.name in page.locator("main").inner_text()
    assert_accessible(page)


def test_a_helper_pauses_offers_and_sees_the_call_button(page, cast):
    mission = missions.mission_create(
        helpee=cast.helpee, theme=cast.groceries, by=cast.trusted_operator
    )
    missions.mission_assign(mission=mission, helper=cast.helper, by=cast.helper.user)
    log_in(page, cast.helper.user)
    page.goto("/helpers/")
    press(page, "Pause offers")
    page.get_by_role("heading", name="Offers are paused").wait_for()
    assert_accessible(page)
    press(page, "Resume offers")
    page.get_by_text("Offers are back on.").wait_for()
    # Without a help line, or a phone of their own, the helper is not called: they see the number.
    page.goto(f"/helpers/missions/{mission.pk}/")
    assert page.locator("#helpee-phone").inner_text() == "02 555 12 34"
    assert page.get_by_role("button", name="Call the helpee").count() == 0
    # With one, and a help line, the helpee's number is hidden and the line puts them through.
    cast.organisation.hotline_number = "+3225550100"
    cast.organisation.save(update_fields=["hotline_number"])
    cast.helper.user.phone = "+32475999888"
    cast.helper.user.save(update_fields=["phone"])
    page.reload()
    assert "02 555 12 34" not in page.content()
    page.get_by_text("Through Solidair").wait_for()
    press(page, "Call the helpee")
    page.get_by_text("This is a demonstration line: no phone rings.").wait_for()
    assert_accessible(page)
    press(page, "Call the helpee")
    page.get_by_text("We are already calling you: please answer your phone.").wait_for()
    assert MaskedCall.objects.filter(mission=mission).count() == 1
