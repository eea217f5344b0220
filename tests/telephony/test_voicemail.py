"""The caller's message becomes one callback in the console, however often retried."""

from solidair.callcentre.models import Call, Callback, CallbackKind, CallOutcome
from tests.conftest import login
from tests.telephony.conftest import CALLER

VOICEMAIL = "/telephony/voice/voicemail/"
RECORDING = "https://api.twilio.com/2010-04-01/Accounts/AC0/Recordings/RE" + "1" * 32


def leave_message(provider, choice="1", **params):
    params.setdefault("RecordingUrl", RECORDING)
    return provider.twiml(f"{VOICEMAIL}?choice={choice}", **params)


def test_a_voicemail_becomes_a_callback_and_ends_the_call(line, provider):
    provider.twiml("/telephony/voice/language/?attempt=0", Digits="3")
    root = leave_message(provider, choice="2")
    assert [verb.tag for verb in root] == ["Say", "Hangup"]
    assert root.find("Say").get("language") == "en-GB"
    callback = Callback.objects.get()
    assert callback.kind == CallbackKind.VOICEMAIL and callback.phone == CALLER
    assert callback.recording_url == RECORDING
    assert callback.organisation == line.organisation
    # Written for the operators, in the organisation's first language (French here).
    assert "anglais" in callback.reason and "ligne d’écoute" in callback.reason
    call = Call.objects.get()
    assert call.ended_at is not None and call.outcome == CallOutcome.CALLBACK


def test_a_retried_voicemail_webhook_makes_one_callback(line, provider):
    leave_message(provider)
    leave_message(provider)
    assert Callback.objects.count() == 1 and Call.objects.count() == 1


def test_a_voicemail_without_a_recording_is_still_called_back(line, provider):
    leave_message(provider, RecordingUrl="")
    assert Callback.objects.get().recording_url == ""


def test_a_recording_address_that_is_not_https_is_not_kept(line, provider):
    leave_message(provider, RecordingUrl="javascript:alert(1)")
    assert Callback.objects.get().recording_url == ""


def test_an_unsigned_voicemail_makes_no_callback(line, provider):
    response = provider.client.post(VOICEMAIL, {"CallSid": "CA1", "RecordingUrl": RECORDING})
    assert response.status_code == 403
    assert provider.post(VOICEMAIL, token="someone-else").status_code == 403
    assert not Callback.objects.exists()


def test_the_voicemail_is_in_the_callback_queue_of_the_organisations_operators(
    line, provider, client
):
    leave_message(provider)
    page = login(client, line.operator).get("/callbacks/").content.decode()
    assert CALLER in page and "Voicemail" in page
    other = login(client, line.outsider).get("/callbacks/").content.decode()
    assert CALLER not in other
