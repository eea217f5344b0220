"""The console pops the call an operator took on their phone, with the caller looked up
by number; the call banner follows; every call is logged from start to outcome."""

from urllib.parse import quote

from solidair.callcentre.models import Call, Callback, CallOutcome
from solidair.telephony.models import Ring
from tests.conftest import CsrfClient, login
from tests.telephony.conftest import CALLER, caller_waits, leg, operator_on_shift

TAKE = "/telephony/voice/operator/take/"
LIVE = "/operator/live/"


def take(provider, ring):
    return leg(provider, TAKE, ring, Digits="1")


def test_the_console_pops_the_known_caller_s_card_at_the_next_poll(line, provider, client):
    bram = operator_on_shift(line, "bram", ["fr"], phone="+32470000002")
    login(client, bram)
    before = client.get(LIVE, {"shown": ""}).content.decode()
    assert "Your call" not in before and 'id="call-banner"' not in before
    caller_waits(provider, language="fr", From="+3225551234")  # the cast's helpee
    take(provider, Ring.objects.get())
    live = client.get(LIVE, {"shown": ""}).content.decode()
    assert "Your call" in live
    assert f'href="/helpees/{line.helpee.pk}/"' in live and "Jeanne Dupont" in live
    assert "Asks for help" in live
    # The banner comes with it, out of band, once.
    assert '<div id="call-banner" hx-swap-oob="true">' in live
    assert "In a call with +3225551234" in live
    call = Call.objects.get()
    again = client.get(LIVE, {"shown": f"{call.pk}-open"}).content.decode()
    assert "Your call" in again and "hx-swap-oob" not in again


def test_an_unknown_caller_is_offered_a_new_helpee_with_the_number_filled_in(
    line, provider, client
):
    bram = operator_on_shift(line, "bram", ["nl"], phone="+32470000002")
    caller_waits(provider, language="nl")
    take(provider, Ring.objects.get())
    live = login(client, bram).get(LIVE).content.decode()
    assert "Unknown caller" in live
    call = Call.objects.get()
    # The link names the call, never the caller's number; the form reads it from there.
    assert f'href="/helpees/new/?call={call.pk}"' in live and quote(CALLER) not in live
    form = client.get(f"/helpees/new/?call={call.pk}").content.decode()
    assert 'value="0475 12 34 56"' in form


def test_only_the_operator_who_took_the_call_sees_it_pop(line, provider, client):
    bram = operator_on_shift(line, "bram", ["fr"], phone="+32470000002")
    caller_waits(provider, language="fr", From="+3225551234")
    take(provider, Ring.objects.get())
    other = login(CsrfClient(), line.operator).get(LIVE).content.decode()
    assert "Your call" not in other
    assert "Calls in progress" in other and "Bram" in other  # the list every operator sees
    assert "Your call" in login(client, bram).get(LIVE).content.decode()


def test_callers_waiting_are_counted_on_the_console_not_listed_as_calls(line, provider, client):
    caller_waits(provider, language="nl")
    live = login(client, line.operator).get(LIVE).content.decode()
    assert "Callers waiting: 1 (NL)" in live
    assert "No call in progress." in live and CALLER not in live


def test_the_banner_of_a_taken_call_shows_on_every_page(line, provider, client):
    bram = operator_on_shift(line, "bram", ["fr"], phone="+32470000002")
    caller_waits(provider, language="fr", From="+3225551234")
    take(provider, Ring.objects.get())
    page = login(client, bram).get("/helpees/").content.decode()
    assert "In a call with +3225551234" in page and "End the call" in page
    assert 'value="blocked"' not in page  # the line's own outcomes are not offered


def test_the_call_log_holds_start_language_choice_answer_operator_end_and_outcome(
    line, provider, client
):
    bram = operator_on_shift(line, "bram", ["fr", "nl"], phone="+32470000002")
    caller_waits(provider, language="nl", choice="2")
    take(provider, Ring.objects.get())
    provider.post("/telephony/voice/status/", CallStatus="completed")
    login(client, bram)
    page = client.get("/operator/").content.decode()
    assert "ended at" in page and "Log the call" in page  # the banner asks how it ended
    call = Call.objects.get()
    response = client.post(f"/calls/{call.pk}/end/", {"outcome": "listening"}, follow=True)
    assert "The call is logged." in response.content.decode()
    call.refresh_from_db()
    assert call.started_at <= call.queued_at <= call.answered_at <= call.ended_at
    assert (call.language, call.choice, call.operator, call.outcome) == (
        "nl",
        "2",
        bram,
        CallOutcome.LISTENING,
    )
    assert "In a call with" not in client.get("/operator/").content.decode()


def test_ending_a_taken_call_from_the_banner_before_the_phone_hangs_up(line, provider, client):
    bram = operator_on_shift(line, "bram", ["fr"], phone="+32470000002")
    caller_waits(provider, language="fr")
    take(provider, Ring.objects.get())
    call = Call.objects.get()
    login(client, bram).post(f"/calls/{call.pk}/end/", {"outcome": "mission"})
    call.refresh_from_db()
    ended_at = call.ended_at
    assert call.outcome == CallOutcome.MISSION and ended_at is not None
    provider.post("/telephony/voice/status/", CallStatus="completed")  # later: nothing
    call.refresh_from_db()
    assert (call.outcome, call.ended_at) == (CallOutcome.MISSION, ended_at)
    assert not Callback.objects.exists()


def test_another_operator_cannot_log_the_outcome_of_my_ended_call(line, provider, client):
    bram = operator_on_shift(line, "bram", ["fr"], phone="+32470000002")
    caller_waits(provider, language="fr")
    take(provider, Ring.objects.get())
    provider.post("/telephony/voice/status/", CallStatus="completed")
    call = Call.objects.get()
    other = login(client, line.operator)
    assert other.post(f"/calls/{call.pk}/end/", {"outcome": "other"}).status_code == 404
    call.refresh_from_db()
    assert call.outcome == "" and call.operator == bram
