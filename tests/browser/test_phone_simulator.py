"""Issue 6's "Done when", in Chromium: in the phone simulator a call in Dutch reaches the
operator who speaks Dutch and their console pops the caller's card; a call outside
opening hours leaves a voicemail that appears as a callback. Through the same signed
webhooks a real call goes through, over real HTTP to the live server."""

import datetime

import pytest
from django.utils import timezone

from solidair.callcentre.models import Call, Callback, Shift
from solidair.people.models import RoleKind
from solidair.telephony.models import OpeningHours, Ring, RingOutcome
from tests.browser.conftest import assert_accessible
from tests.browser.test_call_centre import log_in
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOTLINE = "+3225550100"


@pytest.fixture
def line(cast, live_server, settings):
    settings.SITE_URL = live_server.url
    settings.TWILIO_AUTH_TOKEN = "browser-test-token"  # noqa: S105
    settings.NOTIFICATIONS_PROVIDER = "console"  # the operators' phones are simulated
    cast.organisation.hotline_number = HOTLINE
    cast.organisation.save()
    return cast


def on_shift(organisation, name, language, phone):
    operator = make_user(organisation, name, RoleKind.OPERATOR, language=language)
    operator.last_name = "Operator"
    operator.save()
    Shift.objects.create(
        organisation=organisation, operator=operator, languages=[language], phone=phone
    )
    return operator


def another_page(browser, live_server, user):
    page = browser.new_context(base_url=live_server.url, locale="nl-BE").new_page()
    page.set_default_timeout(10_000)
    log_in(page, user)
    return page


def caller_phone(page):
    return page.locator("#sim-caller-phone .sim-phone")


def said(phone, text):
    phone.locator(".sim-log").get_by_text(text).last.wait_for()


def call_with_the_keyboard(page, number):
    page.locator("#sim-caller").fill(number)
    page.locator("#sim-call").focus()
    page.keyboard.press("Enter")
    said(caller_phone(page), "Voor Nederlands, druk 2.")


def press_with_the_keyboard(page, label):
    """From the Call button, Tab to a key of the keypad, then Enter."""
    page.locator("#sim-call").focus()
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('aria-label')") == label:
            break
    else:
        raise AssertionError(f"{label} is not reachable with Tab")
    page.keyboard.press("Enter")


def test_a_call_in_dutch_reaches_the_operator_who_speaks_dutch_and_pops_the_caller_s_card(
    page, line, browser, live_server
):
    koen = on_shift(line.organisation, "koen", "nl", "+32470990002")
    anne = on_shift(line.organisation, "anne", "fr", "+32470990001")
    console = another_page(browser, live_server, koen)
    console.goto("/operator/")
    log_in(page, line.coordinator)
    page.goto("/telephony/simulator/")
    assert_accessible(page)

    call_with_the_keyboard(page, line.helpee.phones.get().number)
    press_with_the_keyboard(page, "Key 2")  # Dutch
    said(caller_phone(page), "druk 1")  # the choices, in Dutch
    press_with_the_keyboard(page, "Key 1")  # ask for help
    caller_phone(page).locator(".sim-state").get_by_text("Waiting in the queue.").wait_for()

    ringing = page.locator("#sim-rings li")
    ringing.get_by_text("Koen Operator's phone rings: a call in Dutch.").wait_for()
    assert ringing.count() == 1  # Anne speaks French: her phone does not ring
    assert_accessible(page)
    ringing.get_by_role("button", name="Pick up as Koen Operator").click()
    operator_phone = page.locator("#sim-operator-phones .sim-phone")
    operator_phone.locator(".sim-log .said").first.wait_for()  # the whisper
    operator_phone.get_by_role("button", name="Key 1", exact=True).click()

    caller_phone(page).locator(".sim-state").get_by_text("Connected to an operator").wait_for()
    operator_phone.locator(".sim-state").get_by_text("Connected to the caller").wait_for()
    call = Call.objects.get()
    assert (call.operator, call.helpee, call.language) == (koen, line.helpee, "nl")
    assert not Ring.objects.filter(operator=anne).exists()

    # The operator's console pops the caller's card, without reloading.
    console.locator("#my-call-helpee").get_by_text("Jeanne Dupont").wait_for(timeout=12_000)
    console.locator("#my-call-helpee").click()
    console.get_by_role("heading", name="Jeanne Dupont").wait_for()
    assert_accessible(page)

    caller_phone(page).get_by_role("button", name="Hang up").click()
    caller_phone(page).locator(".sim-state").get_by_text("The call is over.").wait_for()
    operator_phone.locator(".sim-state").get_by_text("The call is over.").wait_for()
    call.refresh_from_db()
    assert call.ended_at is not None
    assert Ring.objects.get(operator=koen).outcome == RingOutcome.TAKEN
    console.context.close()


def test_a_call_outside_opening_hours_leaves_a_voicemail_that_appears_as_a_callback(
    page, line, browser, live_server
):
    tomorrow = (timezone.localdate().weekday() + 1) % 7
    OpeningHours.objects.create(
        organisation=line.organisation,
        weekday=tomorrow,
        opens=datetime.time(9),
        closes=datetime.time(17),
    )  # closed all day today
    on_shift(line.organisation, "koen", "nl", "+32470990002")
    log_in(page, line.coordinator)
    page.goto("/telephony/simulator/")
    call_with_the_keyboard(page, line.helpee.phones.get().number)
    press_with_the_keyboard(page, "Key 2")
    said(caller_phone(page), "druk 1")
    press_with_the_keyboard(page, "Key 1")

    message = caller_phone(page).get_by_label("What you would say")
    message.wait_for()
    assert_accessible(page)
    assert message.evaluate("element => element === document.activeElement")
    page.keyboard.type("Goedendag, ik heb boodschappen nodig voor morgen.")
    caller_phone(page).get_by_role("button", name="Finish the message").click()
    caller_phone(page).locator(".sim-state").get_by_text("The call is over.").wait_for()
    assert not Ring.objects.exists()

    callback = Callback.objects.get()
    assert (callback.kind, callback.helpee, callback.phone) == (
        "voicemail",
        line.helpee,
        line.helpee.phones.get().number,
    )
    assert callback.recording_url.startswith("https://simulator.invalid/recordings/RE")
    console = another_page(browser, live_server, line.operator)
    console.goto("/callbacks/")
    console.get_by_role("cell", name="Jeanne Dupont", exact=True).first.wait_for()
    console.context.close()
