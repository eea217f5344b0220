"""In Chromium: the operator's console pops the call they took on their phone, within
its polling and without a reload, and the page still passes axe-core and works with
the keyboard."""

import pytest

from solidair.callcentre.models import Call, Shift
from solidair.telephony import routing, services
from solidair.telephony.models import Ring
from tests.browser.conftest import assert_accessible
from tests.browser.test_call_centre import log_in
from tests.telephony.conftest import SID

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_console_pops_the_taken_call_and_the_operator_opens_the_card_by_keyboard(
    page,
    cast,
):
    Shift.objects.create(
        organisation=cast.organisation,
        operator=cast.operator,
        languages=["fr"],
        phone="+32470000002",
    )
    log_in(page, cast.operator)
    page.goto("/operator/")
    page.get_by_role("heading", name="Calls in progress").wait_for()
    assert page.get_by_text("Your call").count() == 0

    # A caller (the cast's helpee) waits; the operator's phone rings and they press 1.
    call = Call.objects.create(
        organisation=cast.organisation,
        provider_sid=SID,
        caller="+3225551234",
        helpee=cast.helpee,
        language="fr",
    )
    services.call_queue(call=call, choice="1")
    assert routing.ring_take(ring=Ring.objects.get())

    card = page.get_by_role("link", name="Open the card of Jeanne Dupont")
    card.wait_for(timeout=10_000)  # the next poll, no reload
    page.get_by_text("In a call with +3225551234").wait_for()  # the banner came too
    assert_accessible(page)
    card.focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Jeanne Dupont").wait_for()

    # The banner, on the card too, ends the call with the keyboard.
    page.locator("#call-outcome").focus()
    page.keyboard.type("A mission")
    page.get_by_role("button", name="End the call").focus()
    page.keyboard.press("Enter")
    page.get_by_text("The call is logged.").wait_for()
    call.refresh_from_db()
    assert call.outcome == "mission" and call.ended_at is not None
