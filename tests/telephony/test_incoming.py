"""A call arrives on the organisation's number: signed or refused, one Call per CallSid,
and a language menu in the organisation's languages."""

from solidair.callcentre.models import Call
from tests.telephony.conftest import CALLER, SID, target

INCOMING = "/telephony/voice/incoming/"


def test_an_unsigned_webhook_is_refused(line, provider):
    response = provider.client.post(
        INCOMING, {"CallSid": SID, "To": line.organisation.hotline_number}
    )
    assert response.status_code == 403
    assert not Call.objects.exists()


def test_a_webhook_signed_with_another_token_is_refused(line, provider):
    assert provider.post(INCOMING, token="someone-else").status_code == 403
    assert not Call.objects.exists()


def test_a_tampered_webhook_is_refused(line, provider):
    response = provider.post(INCOMING)
    assert response.status_code == 200
    data = {"CallSid": SID, "To": line.organisation.hotline_number, "From": "+32470000000"}
    signature = response.wsgi_request.headers["X-Twilio-Signature"]
    tampered = provider.client.post(INCOMING, data, HTTP_X_TWILIO_SIGNATURE=signature)
    assert tampered.status_code == 403


def test_a_signature_over_the_internal_address_is_refused(line, provider):
    """Behind the TLS proxy the provider signs the public https address, not ours."""
    from django.test import Client
    from twilio.request_validator import RequestValidator

    data = {"CallSid": SID, "To": line.organisation.hotline_number}
    signature = RequestValidator("twilio-test-token").compute_signature(
        "http://testserver" + INCOMING, data
    )
    response = Client().post(INCOMING, data, HTTP_X_TWILIO_SIGNATURE=signature)
    assert response.status_code == 403


def test_the_menu_offers_each_language_of_the_organisation_in_its_own_voice(line, provider):
    root = provider.twiml(INCOMING)
    welcome, gather, redirect = list(root)
    assert welcome.tag == "Say" and welcome.get("language") == "fr-FR"
    assert "Solidair Brussels" in welcome.text
    assert gather.tag == "Gather" and gather.get("numDigits") == "1"
    assert target(gather.get("action")) == ("/telephony/voice/language/", {"attempt": "0"})
    offers = list(gather)
    assert [say.tag for say in offers] == ["Say"] * 4
    assert [say.get("language") for say in offers] == ["fr-FR", "nl-NL", "en-GB", "de-DE"]
    assert [say.text[-2:] for say in offers] == ["1.", "2.", "3.", "4."]
    assert "English" in offers[2].text
    assert redirect.tag == "Redirect"
    assert target(redirect.text) == ("/telephony/voice/language/", {"attempt": "0"})


def test_an_organisation_with_two_languages_offers_only_those(line, provider):
    line.organisation.languages = ["nl", "de"]
    line.organisation.save()
    gather = provider.twiml(INCOMING).find("Gather")
    assert [say.get("language") for say in gather] == ["nl-NL", "de-DE"]
    assert [say.text[-2:] for say in gather] == ["1.", "2."]


def test_the_call_is_logged_once_however_often_the_webhook_is_retried(line, provider):
    provider.twiml(INCOMING)
    provider.twiml(INCOMING)
    call = Call.objects.get()
    assert call.provider_sid == SID and call.caller == CALLER
    assert call.organisation == line.organisation and call.operator is None


def test_a_known_caller_is_recognised(line, provider):
    provider.twiml(INCOMING, From="+3225551234")  # the cast's helpee
    assert Call.objects.get().helpee == line.helpee


def test_a_withheld_number_is_logged_without_a_number(line, provider):
    provider.twiml(INCOMING, From="anonymous")
    assert Call.objects.get().caller == ""


def test_a_number_of_no_organisation_hangs_up(line, provider):
    root = provider.twiml(INCOMING, To="+3225559999")
    assert [verb.tag for verb in root] == ["Hangup"]
    assert not Call.objects.exists()
