"""Text messages to the platform: a helpee answers 1 to confirm they received their
help; a helper sends STOP to pause offers and START to resume; anything else gets a
short answer saying what can be sent. Each message is handled once."""

import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from twilio.request_validator import RequestValidator

from solidair.matching.models import Offer
from solidair.matching.selectors import feed_for, rank_helpers
from solidair.matching.services import dispatch_wave
from solidair.missions import services as missions
from solidair.telephony.models import InboundSms
from tests.conftest import CsrfClient, login, make_helpee
from tests.matching.conftest import helper_at, published_mission
from tests.telephony.conftest import HOTLINE, SITE, TOKEN

INCOMING = "/telephony/sms/incoming/"
HELPEE_MOBILE = "+32475987654"
HELPER_MOBILE = "+32470111222"
MESSAGE_SID = "SM" + "4" * 32


def text(sender, body, sid=MESSAGE_SID, token=TOKEN):
    data = {"MessageSid": sid, "SmsSid": sid, "From": sender, "To": HOTLINE, "Body": body}
    signature = RequestValidator(token).compute_signature(SITE + INCOMING, data)
    return Client(enforce_csrf_checks=True).post(INCOMING, data, HTTP_X_TWILIO_SIGNATURE=signature)


def answer(sender, body, sid=MESSAGE_SID):
    """The one message sent back."""
    response = text(sender, body, sid)
    assert response.status_code == 200 and response["Content-Type"] == "text/xml"
    root = ET.fromstring(response.content)
    assert root.tag == "Response"
    (message,) = list(root)
    assert message.tag == "Message"
    return message.text


@pytest.fixture
def helpee(line):
    helpee = make_helpee(line.organisation, line.operator, first_name="Marie", phone=HELPEE_MOBILE)
    helpee.language = "en"
    helpee.save()
    return helpee


@pytest.fixture
def done(line, helpee):
    """Marie's groceries were brought; she has not confirmed yet."""
    mission = missions.mission_create(
        helpee=helpee, theme=line.groceries, by=line.trusted_operator, details="Bread"
    )
    missions.mission_assign(mission=mission, helper=line.helper, by=line.helper.user)
    missions.mission_start(mission=mission, by=line.helper.user)
    missions.mission_complete(mission=mission, by=line.helper.user)
    mission.refresh_from_db()
    assert mission.helpee_confirmed_at is None
    return mission


@pytest.fixture
def helper(line):
    helper = helper_at(line, "anna")
    helper.user.phone = HELPER_MOBILE
    helper.user.save()
    return helper


def test_an_unsigned_or_tampered_message_is_refused(done):
    data = {"MessageSid": MESSAGE_SID, "From": HELPEE_MOBILE, "To": HOTLINE, "Body": "1"}
    assert Client().post(INCOMING, data).status_code == 403
    assert text(HELPEE_MOBILE, "1", token="not-ours").status_code == 403
    signature = RequestValidator(TOKEN).compute_signature(SITE + INCOMING, {**data, "Body": "2"})
    tampered = Client().post(INCOMING, data, HTTP_X_TWILIO_SIGNATURE=signature)
    assert tampered.status_code == 403
    done.refresh_from_db()
    assert done.helpee_confirmed_at is None and not InboundSms.objects.exists()


@pytest.mark.parametrize("body", ["1", " 1. ", "1 !", "1\n"])
def test_a_helpees_1_confirms_the_help_they_received(done, body):
    assert answer(HELPEE_MOBILE, body) == (
        "Solidair: thank you! We are glad you received your help."
    )
    done.refresh_from_db()
    assert done.helpee_confirmed_at is not None
    received = InboundSms.objects.get()
    assert (received.outcome, received.sender, received.organisation) == (
        "confirmed",
        HELPEE_MOBILE,
        done.organisation,
    )


def test_a_retried_message_gets_the_same_answer_and_changes_nothing(done):
    first = answer(HELPEE_MOBILE, "1")
    done.refresh_from_db()
    done.helpee_confirmed_at = None
    done.save()
    assert answer(HELPEE_MOBILE, "1") == first
    done.refresh_from_db()
    assert done.helpee_confirmed_at is None
    assert InboundSms.objects.count() == 1


def test_a_1_with_nothing_to_confirm_is_answered_kindly(helpee):
    assert answer(HELPEE_MOBILE, "1") == (
        "Solidair: thank you. Nothing is waiting for your answer. "
        "To speak to someone, call 02 555 01 00."
    )
    assert InboundSms.objects.get().outcome == "unknown"


def test_a_helpee_writing_something_else_is_told_what_to_send(done):
    assert answer(HELPEE_MOBILE, "Who is coming?") == (
        "Solidair: answer 1 to tell us you received your help. We cannot read other messages. "
        "To speak to someone, call 02 555 01 00."
    )
    done.refresh_from_db()
    assert done.helpee_confirmed_at is None
    assert InboundSms.objects.get().body == "Who is coming?"


def test_each_answer_is_written_in_its_readers_language(done, helpee, helper, monkeypatch):
    from django.utils import translation

    from solidair.telephony import sms

    monkeypatch.setattr(sms, "_", lambda text: f"[{translation.get_language()}] {text}")
    helpee.language = "fr"
    helpee.save()
    helper.user.language = "nl"
    helper.user.save()
    assert answer(HELPEE_MOBILE, "1").startswith("[fr] ")
    assert answer(HELPER_MOBILE, "STOP", sid="SM" + "6" * 32).startswith("[nl] ")
    # A stranger reads the first language of the organisation whose number they texted.
    assert answer("+32475000001", "hello", sid="SM" + "7" * 32).startswith("[fr] ")


def test_stop_from_a_helper_pauses_their_offers(line, helper):
    assert answer(HELPER_MOBILE, "STOP") == (
        "Solidair: your offers are paused; we will send you none. Send START to receive them again."
    )
    helper.refresh_from_db()
    assert helper.paused is True
    assert InboundSms.objects.get().outcome == "paused"
    mission = published_mission(line)
    assert feed_for(helper=helper) == []
    assert helper.pk not in [c.helper_id for c in rank_helpers(mission=mission)]
    dispatch_wave(mission_id=mission.pk)
    assert not Offer.objects.filter(helper=helper).exists()


def test_start_resumes_the_offers(line, helper):
    answer(HELPER_MOBILE, "stop")
    reply = answer(HELPER_MOBILE, "Start", sid="SM" + "5" * 32)
    assert reply == "Solidair: your offers are back on. Send STOP to pause them."
    helper.refresh_from_db()
    assert helper.paused is False
    mission = published_mission(line)
    assert [card.mission_id for card in feed_for(helper=helper)] == [mission.pk]
    assert helper.pk in [c.helper_id for c in rank_helpers(mission=mission)]


@pytest.mark.parametrize("body", ["Arrêt.", "arret", "STOPP", "Halt", " stop "])
def test_stop_is_understood_in_every_language(helper, body):
    answer(HELPER_MOBILE, body)
    helper.refresh_from_db()
    assert helper.paused is True


def test_a_helper_writing_something_else_is_told_what_to_send(helper):
    assert answer(HELPER_MOBILE, "Thanks!") == (
        "Solidair: send STOP to pause your offers, or START to receive them again."
    )
    helper.refresh_from_db()
    assert helper.paused is False
    assert InboundSms.objects.get().outcome == "unknown"


def test_an_unknown_sender_is_told_to_call_the_line_in_the_lines_first_language(line):
    assert line.organisation.languages[0] == "fr"
    assert answer("+32475000001", "STOP") == (
        "Solidair ne peut pas lire les messages envoyés à ce numéro. "
        "Pour demander de l’aide, appelez le 02 555 01 00."
    )
    received = InboundSms.objects.get()
    assert (received.outcome, received.organisation) == ("unknown", line.organisation)


def test_a_message_without_an_id_is_ignored(line):
    data = {"From": HELPEE_MOBILE, "To": HOTLINE, "Body": "1"}
    signature = RequestValidator(TOKEN).compute_signature(SITE + INCOMING, data)
    response = Client().post(INCOMING, data, HTTP_X_TWILIO_SIGNATURE=signature)
    assert response.status_code == 200 and list(ET.fromstring(response.content)) == []
    assert not InboundSms.objects.exists()


# The switch on the helper's page.


def test_a_helper_pauses_and_resumes_offers_on_their_page(client, line, helper):
    login(client, helper.user)
    page = client.get("/helpers/").content.decode()
    assert "Pause offers" in page and "Offers are paused" not in page
    page = client.post("/telephony/offers/pause/", follow=True).content.decode()
    assert "Offers are paused" in page and "Resume offers" in page
    helper.refresh_from_db()
    assert helper.paused is True
    assert feed_for(helper=helper) == []
    page = client.post("/telephony/offers/resume/", follow=True).content.decode()
    assert "Offers are back on." in page and "Pause offers" in page
    helper.refresh_from_db()
    assert helper.paused is False


def test_only_a_helper_has_the_switch(client, cast):
    login(client, cast.operator)
    assert client.post("/telephony/offers/pause/").status_code == 403
    response = CsrfClient().post("/telephony/offers/pause/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_stop_from_a_phone_two_helpers_share_pauses_both(line, helper):
    partner = helper_at(line, "ben")
    partner.user.phone = HELPER_MOBILE
    partner.user.save()
    answer(HELPER_MOBILE, "STOP")
    helper.refresh_from_db()
    partner.refresh_from_db()
    assert helper.paused and partner.paused
    answer(HELPER_MOBILE, "START", sid="SM" + "5" * 32)
    helper.refresh_from_db()
    partner.refresh_from_db()
    assert not helper.paused and not partner.paused


def test_a_1_confirms_in_the_organisation_whose_number_was_texted(line, helpee, done):
    """The same phone is a helpee's in another organisation too, whose mission was done
    later: the 1 sent to this line confirms this line's mission."""
    elsewhere = make_helpee(line.elsewhere, line.outsider, first_name="Marie", phone=HELPEE_MOBILE)
    from solidair.missions.models import Mission, State

    other = Mission.objects.create(
        organisation=line.elsewhere, helpee=elsewhere, theme=line.groceries, state=State.DONE
    )
    answer(HELPEE_MOBILE, "1")
    done.refresh_from_db()
    other.refresh_from_db()
    assert done.helpee_confirmed_at is not None
    assert other.helpee_confirmed_at is None
