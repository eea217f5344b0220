"""Masked calls: the helper presses "Call the helpee", Solidair rings the helper and
bridges to the helpee; the helpee calling the line while their mission is active reaches
their helper, or the operators. Each side sees only the line's number, and it all stops
when the mission ends."""

import xml.etree.ElementTree as ET

import pytest

from solidair.callcentre.models import Call, CallOutcome
from solidair.missions import services as missions
from solidair.missions.models import State
from solidair.telephony import masked
from solidair.telephony.models import MaskedCall
from solidair.telephony.services import call_arrive
from tests.conftest import login
from tests.telephony.conftest import HOTLINE, SID, target

HELPER_PHONE = "+32470111222"
HELPEE_PHONE = "+3225551234"  # the cast's helpee, on a landline
BRIDGE = "/telephony/voice/masked/bridge/"
WHISPER = "/telephony/voice/masked/whisper/"
ACCEPT = "/telephony/voice/masked/accept/"
DONE = "/telephony/voice/masked/done/"
STATUS = "/telephony/voice/masked/status/"


@pytest.fixture
def mission(line):
    cast = line
    cast.helper.user.phone = HELPER_PHONE
    cast.helper.user.save()
    mission = missions.mission_create(
        helpee=cast.helpee, theme=cast.groceries, by=cast.trusted_operator, details="Bread"
    )
    missions.mission_assign(mission=mission, helper=cast.helper, by=cast.helper.user)
    mission.refresh_from_db()
    return mission


def call_url(mission):
    return f"/telephony/missions/{mission.pk}/call-helpee/"


def xml(root):
    return ET.tostring(root, encoding="unicode")


def start(client, cast, mission):
    login(client, cast.helper.user)
    response = client.post(call_url(mission), follow=True)
    return response.content.decode()


def mission_ended(cast, mission):
    missions.mission_start(mission=mission, by=cast.helper.user)
    missions.mission_complete(mission=mission, by=cast.helper.user)


def leg_to_helper(provider, masked_call, path, **params):
    """The provider asks about Solidair's call to the helper's phone."""
    return provider.twiml(
        f"{path}?call={masked_call.pk}",
        sid=masked_call.provider_sid,
        From=HOTLINE,
        To=HELPER_PHONE,
        **params,
    )


# The helper calls the helpee.


def test_the_mission_page_offers_to_call_the_helpee(client, cast, mission):
    login(client, cast.helper.user)
    page = client.get(f"/helpers/missions/{mission.pk}/").content.decode()
    assert f'action="{call_url(mission)}"' in page and "Call the helpee" in page


def test_with_a_phone_provider_the_helper_is_told_to_answer(client, cast, mission, monkeypatch):
    from solidair.telephony import dialer

    placed = []
    monkeypatch.setattr(dialer, "simulated", lambda: False)
    monkeypatch.setattr(dialer, "place_call", lambda **call: placed.append(call) or "CA" + "8" * 32)
    shown = start(client, cast, mission)
    assert "We are calling you now; answer to be put through." in shown
    assert "demonstration" not in shown
    assert placed[0]["to"] == cast.helper.user.phone
    assert MaskedCall.objects.get().provider_sid == "CA" + "8" * 32


def test_the_helper_is_called_then_put_through_showing_only_the_line_number(
    client, cast, mission, provider
):
    shown = start(client, cast, mission)
    # No phone provider here (the demo's case): the helper is told that nothing rings.
    assert "This is a demonstration line: no phone rings." in shown
    call = MaskedCall.objects.get()
    assert (call.mission, call.direction, call.answered_at) == (mission, "to_helpee", None)
    assert call.provider_sid.startswith("SIM")

    root = leg_to_helper(provider, call, BRIDGE)
    say, dial = list(root)
    assert say.tag == "Say" and say.get("language") == "en-GB"
    assert say.text == "Connecting you to Jeanne…"
    assert dial.tag == "Dial" and dial.get("callerId") == HOTLINE
    assert [number.text for number in dial.iter("Number")] == [HELPEE_PHONE]
    assert target(dial.get("action")) == (DONE, {"call": str(call.pk)})
    # What the helpee's phone shows is the line's number: the helper's is nowhere.
    twiml = xml(root)
    assert HELPER_PHONE not in twiml and HELPER_PHONE[3:] not in twiml
    call.refresh_from_db()
    assert call.answered_at is not None and call.status == "in-progress"

    assert list(leg_to_helper(provider, call, DONE, DialCallStatus="completed"))[0].tag == "Hangup"
    response = provider.post(
        f"{STATUS}?call={call.pk}", sid=call.provider_sid, CallStatus="completed"
    )
    assert response.status_code == 204
    call.refresh_from_db()
    assert call.ended_at is not None and call.status == "completed"


def test_a_retried_bridge_dials_once_more_the_same_and_changes_nothing(
    client, cast, mission, provider
):
    start(client, cast, mission)
    call = MaskedCall.objects.get()
    first = xml(leg_to_helper(provider, call, BRIDGE))
    answered = MaskedCall.objects.get().answered_at
    assert xml(leg_to_helper(provider, call, BRIDGE)) == first
    assert MaskedCall.objects.get().answered_at == answered
    assert MaskedCall.objects.count() == 1


def test_the_helper_hears_that_the_helpee_did_not_answer(client, cast, mission, provider):
    start(client, cast, mission)
    call = MaskedCall.objects.get()
    leg_to_helper(provider, call, BRIDGE)
    say, hangup = list(leg_to_helper(provider, call, DONE, DialCallStatus="no-answer"))
    assert say.text == "Jeanne did not answer. Please try again later. Goodbye."
    assert hangup.tag == "Hangup"
    assert MaskedCall.objects.get().status == "no-answer"


def test_pressing_twice_calls_the_helper_once(client, cast, mission):
    start(client, cast, mission)
    shown = start(client, cast, mission)
    assert "We are already calling you: please answer your phone." in shown
    assert MaskedCall.objects.count() == 1


def test_another_helper_cannot_call_the_helpee(client, cast, mission):
    cast.other_helper.user.phone = "+32470999888"
    cast.other_helper.user.save()
    login(client, cast.other_helper.user)
    assert client.post(call_url(mission)).status_code == 404
    login(client, cast.operator)
    assert client.post(call_url(mission)).status_code == 403
    assert not MaskedCall.objects.exists()
    with pytest.raises(masked.MaskedCallError):
        masked.masked_call_start(mission=mission, helper=cast.other_helper)
    assert not MaskedCall.objects.exists()


def test_a_helper_without_a_phone_number_is_told_so(client, cast, mission):
    cast.helper.user.phone = ""
    cast.helper.user.save()
    shown = start(client, cast, mission)
    assert "We have no phone number for you, so Solidair cannot call you." in shown
    assert not MaskedCall.objects.exists()


def test_after_the_mission_the_helper_can_no_longer_call(client, cast, mission, provider):
    start(client, cast, mission)
    earlier = MaskedCall.objects.get()
    mission_ended(cast, mission)
    shown = start(client, cast, mission)
    assert "This mission has ended: Solidair no longer puts you through to the helpee." in shown
    assert MaskedCall.objects.count() == 1
    # A call placed before the end and answered after it is not put through either.
    root = leg_to_helper(provider, earlier, BRIDGE)
    assert [node.tag for node in root] == ["Say", "Hangup"]
    assert "Dial" not in xml(root) and HELPEE_PHONE not in xml(root)


def test_the_bridge_of_a_call_it_does_not_know_hangs_up(client, cast, mission, provider):
    start(client, cast, mission)
    call = MaskedCall.objects.get()
    root = provider.twiml(f"{BRIDGE}?call={call.pk}", sid="CA" + "9" * 32)
    assert [node.tag for node in root] == ["Hangup"]
    assert MaskedCall.objects.get().answered_at is None


def test_unsigned_and_tampered_masked_webhooks_are_refused(client, cast, mission, provider):
    start(client, cast, mission)
    call = MaskedCall.objects.get()
    for path in (BRIDGE, WHISPER, ACCEPT, DONE, STATUS):
        url = f"{path}?call={call.pk}"
        assert provider.client.post(url, {"CallSid": call.provider_sid}).status_code == 403
        assert provider.post(url, sid=call.provider_sid, token="not-ours").status_code == 403
    # Signed for one masked call, replayed for another.
    response = provider.post(f"{BRIDGE}?call={call.pk}", sid=call.provider_sid)
    signature = response.wsgi_request.headers["X-Twilio-Signature"]
    replayed = provider.client.post(
        f"{BRIDGE}?call={call.pk + 1}",
        {"CallSid": call.provider_sid, "To": HOTLINE, "From": "+32475123456"},
        HTTP_X_TWILIO_SIGNATURE=signature,
    )
    assert replayed.status_code == 403


# The helpee calls the line.


def helpee_calls(cast, sid=SID):
    return call_arrive(organisation=cast.organisation, sid=sid, caller=HELPEE_PHONE)


def leg_of_helpee(provider, masked_call, path, **params):
    return provider.twiml(
        f"{path}?call={masked_call.pk}", sid=SID, From=HELPEE_PHONE, To=HOTLINE, **params
    )


def test_a_helpee_calling_during_their_mission_reaches_their_helper(cast, mission, provider):
    root = ET.fromstring(masked.helpee_incoming(helpee_calls(cast)))
    call = MaskedCall.objects.get()
    assert (call.mission, call.direction, call.provider_sid) == (mission, "to_helper", SID)
    say, dial = list(root)
    assert say.get("language") == "fr-FR" and "Helper" in say.text
    assert dial.get("callerId") == HOTLINE and dial.get("timeout") == "20"
    assert target(dial.get("action")) == (DONE, {"call": str(call.pk)})
    (number,) = dial.iter("Number")
    assert number.text == HELPER_PHONE
    assert target(number.get("url")) == (WHISPER, {"call": str(call.pk)})
    # The helper's phone shows the line's number: the helpee's is nowhere.
    assert HELPEE_PHONE not in xml(root) and HELPEE_PHONE[3:] not in xml(root)

    # The helper hears who calls, and takes the call with 1.
    whisper = provider.twiml(f"{WHISPER}?call={call.pk}", sid="CA" + "7" * 32, To=HELPER_PHONE)
    gather, hangup = list(whisper)
    assert gather.tag == "Gather" and hangup.tag == "Hangup"
    assert target(gather.get("action")) == (ACCEPT, {"call": str(call.pk)})
    assert gather.find("Say").text == (
        "Jeanne, whom you help with Solidair, is calling you. Press 1 to talk to them."
    )
    assert HELPEE_PHONE not in xml(whisper)
    accepted = provider.twiml(
        f"{ACCEPT}?call={call.pk}", sid="CA" + "7" * 32, To=HELPER_PHONE, Digits="1"
    )
    assert list(accepted) == []  # nothing more to say: the two are connected
    assert MaskedCall.objects.get().answered_at is not None

    # They hang up: the call is over, put through to the helper.
    assert [n.tag for n in leg_of_helpee(provider, call, DONE, DialCallStatus="completed")] == [
        "Hangup"
    ]
    call.refresh_from_db()
    assert call.ended_at is not None and call.status == "completed"
    assert Call.objects.get(provider_sid=SID).outcome == CallOutcome.HELPER


def test_a_retried_incoming_call_makes_one_masked_call(cast, mission):
    first = masked.helpee_incoming(helpee_calls(cast))
    assert masked.helpee_incoming(helpee_calls(cast)) == first
    assert MaskedCall.objects.count() == 1


@pytest.mark.parametrize("status", ["no-answer", "busy", "failed"])
def test_a_helper_who_does_not_answer_sends_the_helpee_to_the_operators(
    cast, mission, provider, status
):
    masked.helpee_incoming(helpee_calls(cast))
    call = MaskedCall.objects.get()
    say, redirect = list(leg_of_helpee(provider, call, DONE, DialCallStatus=status))
    assert say.get("language") == "fr-FR"
    assert redirect.tag == "Redirect"
    assert target(redirect.text) == ("/telephony/voice/choice/", {"attempt": "0", "Digits": "1"})
    call.refresh_from_db()
    assert call.ended_at is not None and call.status == status
    assert Call.objects.get(provider_sid=SID).language == "fr"


def test_a_helpers_voicemail_does_not_take_the_helpees_call(cast, mission, provider):
    """Answered (by a voicemail), but nobody pressed 1: the operators take over."""
    masked.helpee_incoming(helpee_calls(cast))
    call = MaskedCall.objects.get()
    silence = provider.twiml(f"{ACCEPT}?call={call.pk}", sid="CA" + "7" * 32, Digits="")
    assert [n.tag for n in silence] == ["Hangup"]
    _say, redirect = list(leg_of_helpee(provider, call, DONE, DialCallStatus="completed"))
    assert target(redirect.text)[0] == "/telephony/voice/choice/"


def test_after_the_mission_the_helpee_gets_the_normal_menu(cast, mission):
    mission_ended(cast, mission)
    assert masked.helpee_incoming(helpee_calls(cast)) is None
    assert not MaskedCall.objects.exists()


def test_a_cancelled_mission_no_longer_connects(cast, mission):
    missions.mission_cancel(mission=mission, by=cast.operator, reason="The helpee is in hospital")
    mission.refresh_from_db()
    assert mission.state == State.CANCELLED
    assert masked.helpee_incoming(helpee_calls(cast)) is None


def test_other_callers_get_the_normal_menu(cast, mission):
    stranger = call_arrive(organisation=cast.organisation, sid=SID, caller="+32475000001")
    assert masked.helpee_incoming(stranger) is None
    withheld = call_arrive(organisation=cast.organisation, sid="CA" + "6" * 32, caller="")
    assert masked.helpee_incoming(withheld) is None
    assert not MaskedCall.objects.exists()


# Through the help line's own webhooks.


def test_the_line_puts_a_calling_helpee_through_to_their_helper(cast, mission, provider):
    root = provider.twiml("/telephony/voice/incoming/", From=HELPEE_PHONE)
    (dial,) = root.iter("Dial")
    assert dial.get("callerId") == HOTLINE
    assert [number.text for number in dial.iter("Number")] == [HELPER_PHONE]
    assert MaskedCall.objects.get().direction == "to_helper"


def test_a_helpee_whose_helper_does_not_answer_waits_for_an_operator(cast, mission, provider):
    provider.twiml("/telephony/voice/incoming/", From=HELPEE_PHONE)
    call = MaskedCall.objects.get()
    redirect = leg_of_helpee(provider, call, DONE, DialCallStatus="no-answer").find("Redirect")
    path, query = target(redirect.text)
    root = provider.twiml(
        f"{path}?attempt={query['attempt']}&Digits={query['Digits']}", From=HELPEE_PHONE
    )
    assert root.find("Enqueue") is not None
    waiting = Call.objects.get(provider_sid=SID)
    assert (waiting.choice, waiting.language) == ("1", "fr")
    assert waiting.queued_at is not None and waiting.ended_at is None


def test_after_the_mission_the_line_gives_the_helpee_the_menu(cast, mission, provider):
    mission_ended(cast, mission)
    root = provider.twiml("/telephony/voice/incoming/", From=HELPEE_PHONE)
    assert root.find("Gather") is not None and root.find("Dial") is None
    assert not MaskedCall.objects.exists()


def test_with_a_line_the_helper_sees_the_button_not_the_helpees_number(client, cast, mission):
    login(client, cast.helper.user)
    page = client.get(f"/helpers/missions/{mission.pk}/").content.decode()
    assert "Through Solidair: press “Call the helpee”" in page
    assert "555 12 34" not in page and HELPEE_PHONE not in page


def test_without_a_line_number_the_helper_sees_the_helpees_number(client, cast, mission):
    cast.organisation.hotline_number = ""
    cast.organisation.save()
    login(client, cast.helper.user)
    page = client.get(f"/helpers/missions/{mission.pk}/").content.decode()
    assert f'href="tel:{HELPEE_PHONE}"' in page and 'id="call-helpee"' not in page
