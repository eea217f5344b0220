"""The caller waits in the queue: their place among the callers in their language, the
wait limit and the voicemail, hanging up (a callback), retries and replays."""

import datetime

from django.utils import timezone

from solidair.callcentre.models import Call, Callback, CallbackKind, CallOutcome
from solidair.telephony.models import BlockedCaller, LineSettings, Ring, RingOutcome
from tests.conftest import login
from tests.telephony.conftest import (
    CALLER,
    SID,
    caller_waits,
    leg,
    operator_on_shift,
    target,
)

WAIT = "/telephony/voice/wait/"
QUEUE_DONE = "/telephony/voice/queue-done/"
STATUS = "/telephony/voice/status/"
VOICEMAIL = "/telephony/voice/voicemail/"
OTHER = "CA" + "6" * 32
THIRD = "CA" + "7" * 32


def waited(sid, seconds):
    """The caller has been waiting this long."""
    Call.objects.filter(provider_sid=sid).update(
        queued_at=timezone.now() - datetime.timedelta(seconds=seconds)
    )


def status(provider, sid=SID, call_status="completed"):
    response = provider.post(STATUS, sid=sid, CallStatus=call_status)
    assert response.status_code == 204


def busy(cast, operator):
    Call.objects.create(organisation=cast.organisation, operator=operator, caller="+3223334455")


def test_the_caller_hears_their_place_among_the_callers_in_their_language(line, provider):
    caller_waits(provider, language="nl", sid=OTHER, From="+32475000001")
    caller_waits(provider, language="fr", sid=THIRD, From="+32475000002")
    caller_waits(provider, language="nl")
    say, pause = list(provider.twiml(WAIT))
    assert say.tag == "Say" and say.get("language") == "nl-NL"
    assert "2" in say.text
    assert pause.tag == "Pause" and 1 <= int(pause.get("length")) <= 20
    first = provider.twiml(WAIT, sid=OTHER, From="+32475000001").find("Say")
    assert "2" not in first.text  # the first Dutch caller is next


def test_every_operator_busy_the_caller_waits_then_leaves_a_message(line, provider):
    LineSettings.objects.create(organisation=line.organisation, wait_limit_seconds=60)
    busy(line, operator_on_shift(line, "bram", ["nl"], phone="+32470000002"))
    caller_waits(provider, language="nl")
    assert not Ring.objects.exists()
    assert provider.twiml(WAIT).find("Pause") is not None
    waited(SID, 61)
    assert [verb.tag for verb in provider.twiml(WAIT)] == ["Leave"]
    root = provider.twiml(QUEUE_DONE, QueueResult="leave", QueueTime="61")
    say, record, _redirect = list(root)
    assert say.get("language") == "nl-NL"
    assert record.tag == "Record"
    assert target(record.get("action")) == (VOICEMAIL, {"choice": "1"})
    provider.twiml(f"{VOICEMAIL}?choice=1", RecordingUrl="https://api.twilio.com/RE1")
    callback = Callback.objects.get()
    assert callback.kind == CallbackKind.VOICEMAIL and callback.phone == CALLER
    call = Call.objects.get(provider_sid=SID)
    assert call.outcome == CallOutcome.CALLBACK and call.ended_at is not None


def test_nobody_on_shift_in_the_language_also_waits_for_the_voicemail(line, provider):
    operator_on_shift(line, "francoise", ["fr"], phone="+32470000010")
    caller_waits(provider, language="de")
    assert not Ring.objects.exists()
    waited(SID, 181)  # the default wait limit
    assert [verb.tag for verb in provider.twiml(WAIT)] == ["Leave"]


def test_an_operator_who_becomes_free_is_rung_at_the_next_wait(line, provider):
    bram = operator_on_shift(line, "bram", ["nl"], phone="+32470000002")
    busy(line, bram)
    caller_waits(provider, language="nl")
    assert not Ring.objects.exists()
    Call.objects.filter(operator=bram).update(ended_at=timezone.now(), outcome="listening")
    provider.twiml(WAIT)
    assert Ring.objects.get().operator == bram


def test_a_caller_who_hangs_up_in_the_queue_becomes_a_callback_and_the_rings_stop(
    line, provider, client
):
    bram = operator_on_shift(line, "bram", ["nl"], phone="+32470000002")
    caller_waits(provider, language="nl", choice="2")
    ring = Ring.objects.get()
    waited(SID, 95)
    assert [verb.tag for verb in provider.twiml(QUEUE_DONE, QueueResult="hangup")] == ["Hangup"]
    status(provider)  # then the call's own status: nothing more
    provider.twiml(QUEUE_DONE, QueueResult="hangup")  # and a retry
    callback = Callback.objects.get()
    assert callback.kind == CallbackKind.MISSED and callback.phone == CALLER
    assert "1 min 35 s" in callback.reason and "néerlandais" in callback.reason
    call = Call.objects.get()
    assert call.outcome == CallOutcome.CALLBACK and call.ended_at is not None
    ring.refresh_from_db()
    assert ring.outcome == RingOutcome.CANCELLED
    # The operator's phone no longer takes the call.
    assert leg(provider, "/telephony/voice/operator/take/", ring, Digits="1").find("Dial") is None
    page = login(client, bram).get("/operator/").content.decode()
    assert CALLER in page and "Hung up while waiting" in page


def test_a_hang_up_reported_only_by_the_status_callback_also_becomes_a_callback(line, provider):
    caller_waits(provider, language="fr")
    status(provider)
    assert Callback.objects.get().kind == CallbackKind.MISSED
    assert Call.objects.get().outcome == CallOutcome.CALLBACK


def test_a_withheld_caller_who_hangs_up_leaves_no_callback(line, provider):
    caller_waits(provider, language="fr", From="anonymous")
    provider.twiml(QUEUE_DONE, QueueResult="hangup", From="anonymous")
    assert not Callback.objects.exists()
    assert Call.objects.get().outcome == CallOutcome.OTHER


def test_a_caller_who_hangs_up_in_the_menu_is_logged_without_a_callback(line, provider):
    provider.twiml("/telephony/voice/incoming/")
    status(provider)
    call = Call.objects.get()
    assert call.ended_at is not None and call.queued_at is None
    assert not Callback.objects.exists()


def test_a_queue_error_sends_the_caller_to_the_voicemail(line, provider):
    caller_waits(provider, language="en")
    root = provider.twiml(QUEUE_DONE, QueueResult="error")
    assert root.find("Record") is not None
    assert root.find("Say").get("language") == "en-GB"


def test_a_bridged_caller_is_not_called_back_and_the_call_ends_with_its_status(line, provider):
    operator_on_shift(line, "bram", ["nl"], phone="+32470000002")
    caller_waits(provider, language="nl")
    leg(provider, "/telephony/voice/operator/take/", Ring.objects.get(), Digits="1")
    assert [v.tag for v in provider.twiml(QUEUE_DONE, QueueResult="bridged")] == ["Hangup"]
    status(provider)
    call = Call.objects.get()
    assert call.ended_at is not None and call.outcome == ""  # the operator will say
    assert not Callback.objects.exists()


def test_a_retried_choice_queues_and_rings_once(line, provider):
    operator_on_shift(line, "bram", ["nl"], phone="+32470000002")
    operator_on_shift(line, "chris", ["nl"], phone="+32470000003")
    first = caller_waits(provider, language="nl")
    queued_at = Call.objects.get().queued_at
    again = provider.twiml("/telephony/voice/choice/?attempt=0", Digits="1")
    assert again.find("Enqueue").text == first.find("Enqueue").text
    assert Call.objects.count() == 1 and Ring.objects.count() == 1
    assert Call.objects.get().queued_at == queued_at


def test_replayed_webhooks_after_the_call_ended_change_nothing_and_hang_up(line, provider):
    operator_on_shift(line, "bram", ["nl"], phone="+32470000002")
    caller_waits(provider, language="nl")
    provider.twiml(QUEUE_DONE, QueueResult="hangup")
    before = Call.objects.values().get()
    for path, params in [
        ("/telephony/voice/incoming/", {}),
        ("/telephony/voice/language/?attempt=0", {"Digits": "1"}),
        ("/telephony/voice/choice/?attempt=0", {"Digits": "1"}),
        (WAIT, {}),
        (QUEUE_DONE, {"QueueResult": "leave"}),
    ]:
        assert [verb.tag for verb in provider.twiml(path, **params)] == ["Hangup"], path
    status(provider)
    assert Call.objects.values().get() == before
    assert Callback.objects.count() == 1 and Ring.objects.count() == 1


def test_the_queue_webhooks_refuse_unsigned_requests(line, provider):
    caller_waits(provider, language="nl")
    for path in (WAIT, QUEUE_DONE, STATUS):
        data = {"CallSid": SID, "QueueResult": "hangup", "CallStatus": "completed"}
        assert provider.client.post(path, data).status_code == 403
        assert provider.post(path, token="x", **data).status_code == 403
    assert Call.objects.get().ended_at is None and not Callback.objects.exists()


def test_a_webhook_for_an_unknown_call_hangs_up(line, provider):
    assert [verb.tag for verb in provider.twiml(WAIT, sid="CA" + "0" * 32)] == ["Hangup"]
    assert [verb.tag for verb in provider.twiml(QUEUE_DONE, sid="CA" + "0" * 32)] == ["Hangup"]
    assert not Call.objects.exists()


def test_a_blocked_caller_is_refused_before_the_menu_and_never_rings_an_operator(line, provider):
    operator_on_shift(line, "bram", ["fr"], phone="+32470000002")
    BlockedCaller.objects.create(
        organisation=line.organisation, number=CALLER, reason="Abuse", added_by=line.coordinator
    )
    root = provider.twiml("/telephony/voice/incoming/")
    assert [verb.tag for verb in root] == ["Say", "Hangup"]
    assert root.find("Say").get("language") == "fr-FR"
    assert CALLER not in root.find("Say").text
    call = Call.objects.get()
    assert call.outcome == CallOutcome.BLOCKED and call.ended_at is not None
    assert provider.twiml("/telephony/voice/choice/?attempt=0", Digits="1").find("Enqueue") is None
    assert not Ring.objects.exists()


def test_a_further_number_of_the_organisation_reaches_its_line(line, provider):
    from solidair.telephony.models import LineNumber

    LineNumber.objects.create(organisation=line.organisation, number="+3225550199")
    root = provider.twiml("/telephony/voice/incoming/", To="+3225550199")
    assert root.find("Gather") is not None
    assert Call.objects.get().organisation == line.organisation


TAKE = "/telephony/voice/operator/take/"


def taken_moments_ago(provider, line, seconds):
    """Bram pressed 1 `seconds` ago; his <Dial><Queue> never reached the caller."""
    bram = operator_on_shift(line, "bram", ["nl"], phone="+32470000002")
    caller_waits(provider, language="nl")
    ring = Ring.objects.get(operator=bram)
    assert leg(provider, TAKE, ring, Digits="1").find("Dial/Queue") is not None
    Call.objects.filter(provider_sid=SID).update(
        answered_at=timezone.now() - datetime.timedelta(seconds=seconds)
    )
    return bram, ring


def test_a_call_taken_but_never_connected_goes_back_to_the_queue(line, provider):
    bram, ring = taken_moments_ago(provider, line, 3)
    # Just taken: the bridge is coming, the caller hears they are next.
    assert [verb.tag for verb in provider.twiml(WAIT)] == ["Say", "Pause"]
    assert Call.objects.get(provider_sid=SID).operator == bram
    # Bram's phone lost the network before the bridge; the caller still waits.
    Call.objects.filter(provider_sid=SID).update(
        answered_at=timezone.now() - datetime.timedelta(seconds=40)
    )
    anna = operator_on_shift(line, "anna", ["nl"], phone="+32470000003")
    provider.twiml(WAIT)
    call = Call.objects.get(provider_sid=SID)
    assert call.operator is None and call.answered_at is None
    ring.refresh_from_db()
    assert ring.outcome == RingOutcome.FAILED and ring.ended_at is not None
    assert Ring.objects.filter(operator=anna, outcome=RingOutcome.RINGING).exists()
    # If the caller now hangs up, nobody calls them back by mistake: a callback.
    provider.twiml(QUEUE_DONE, QueueResult="hangup")
    assert Callback.objects.get().kind == CallbackKind.MISSED
    assert Call.objects.get(provider_sid=SID).outcome == CallOutcome.CALLBACK


def test_a_caller_who_hangs_up_in_the_queue_just_after_a_take_is_called_back(line, provider):
    taken_moments_ago(provider, line, 2)
    provider.twiml(QUEUE_DONE, QueueResult="hangup")
    callback = Callback.objects.get()
    assert callback.kind == CallbackKind.MISSED and callback.phone == CALLER
    call = Call.objects.get(provider_sid=SID)
    assert (call.outcome, call.operator) == (CallOutcome.CALLBACK, None)


def test_an_operator_taking_the_call_as_the_wait_limit_passes_keeps_it(line, provider):
    LineSettings.objects.create(organisation=line.organisation, wait_limit_seconds=60)
    bram, _ring = taken_moments_ago(provider, line, 1)
    waited(SID, 61)
    assert [verb.tag for verb in provider.twiml(WAIT)] == ["Say", "Pause"]  # no Leave
    call = Call.objects.get(provider_sid=SID)
    assert (call.operator, call.outcome) == (bram, "")
    assert not Callback.objects.exists()


def test_a_caller_out_of_the_queue_as_an_operator_takes_leaves_a_message(line, provider):
    taken_moments_ago(provider, line, 1)
    root = provider.twiml(QUEUE_DONE, QueueResult="error")
    assert root.find("Record") is not None
    provider.twiml(f"{VOICEMAIL}?choice=1", RecordingUrl="https://api.twilio.com/RE1")
    assert Callback.objects.get().kind == CallbackKind.VOICEMAIL
    call = Call.objects.get(provider_sid=SID)
    assert call.operator is None and call.outcome == CallOutcome.CALLBACK
