"""Ringing the operators on shift who speak the caller's language, on their own phones:
the longest idle first or all at once; the call is theirs only after pressing 1."""

import datetime

import pytest
from django.utils import timezone

from solidair.callcentre.models import Call, Shift
from solidair.notifications.providers.base import ProviderError
from solidair.telephony import dialer
from solidair.telephony.models import LineSettings, Ring, RingOutcome, RingStrategy
from tests.telephony.conftest import (
    CALLER,
    HOTLINE,
    SID,
    caller_waits,
    leg,
    leg_status,
    operator_on_shift,
    target,
)

WHISPER = "/telephony/voice/operator/whisper/"
TAKE = "/telephony/voice/operator/take/"


def strategy(cast, value):
    LineSettings.objects.create(organisation=cast.organisation, ring_strategy=value)


def ringing():
    return list(Ring.objects.filter(outcome=RingOutcome.RINGING).order_by("pk"))


def rung_operators():
    return [ring.operator.first_name for ring in Ring.objects.order_by("pk")]


def last_call_ended(cast, operator, minutes_ago):
    now = timezone.now()
    Call.objects.create(
        organisation=cast.organisation,
        operator=operator,
        started_at=now - datetime.timedelta(minutes=minutes_ago + 5),
        answered_at=now - datetime.timedelta(minutes=minutes_ago + 5),
        ended_at=now - datetime.timedelta(minutes=minutes_ago),
        outcome="listening",
    )


@pytest.fixture
def dutch_speakers(line):
    """Three operators who speak Dutch: Bram idle longest (no call since his shift
    began 50 minutes ago), then Chris (last call ended 30 minutes ago), then Anna (5)."""
    anna = operator_on_shift(
        line, "anna", ["nl", "fr"], phone="+32470000001", started_minutes_ago=120
    )
    bram = operator_on_shift(line, "bram", ["nl"], phone="+32470000002", started_minutes_ago=50)
    chris = operator_on_shift(
        line, "chris", ["nl", "en"], phone="+32470000003", started_minutes_ago=120
    )
    last_call_ended(line, anna, 5)
    last_call_ended(line, chris, 30)
    return anna, bram, chris


def test_a_call_in_dutch_rings_only_the_operators_on_shift_who_speak_dutch(line, provider):
    strategy(line, RingStrategy.SIMULTANEOUS)
    operator_on_shift(line, "francoise", ["fr"], phone="+32470000010")
    operator_on_shift(line, "bram", ["nl", "fr"], phone="+32470000011")
    ended = operator_on_shift(line, "els", ["nl"], phone="+32470000012")
    Shift.objects.filter(operator=ended).update(ended_at=timezone.now())
    operator_on_shift(line, "dirk", ["nl"], phone="+32470000013", language="nl")
    Shift.objects.filter(operator__first_name="Dirk").update(organisation=line.elsewhere)
    caller_waits(provider, language="nl")
    (ring,) = ringing()
    assert ring.operator.first_name == "Bram" and ring.shift.phone == "+32470000011"
    assert ring.provider_sid.startswith(dialer.SIMULATED_PREFIX)
    assert ring.call == Call.objects.get(provider_sid=SID)


def test_the_longest_idle_operator_rings_first_then_the_next_one(line, provider, dutch_speakers):
    caller_waits(provider, language="nl")
    assert rung_operators() == ["Bram"]
    (bram_ring,) = ringing()
    leg_status(provider, bram_ring, "no-answer")
    assert rung_operators() == ["Bram", "Chris"]
    chris_ring = ringing()[0]
    leg(provider, TAKE, chris_ring, Digits="2")  # another key: not taken
    assert rung_operators() == ["Bram", "Chris", "Anna"]
    outcomes = [ring.outcome for ring in Ring.objects.order_by("pk")]
    assert outcomes == [RingOutcome.NO_ANSWER, RingOutcome.DECLINED, RingOutcome.RINGING]


def test_the_operator_hears_who_calls_in_their_own_language_and_takes_it_with_1(
    line, provider, dutch_speakers
):
    caller_waits(provider, language="nl")
    (ring,) = ringing()
    response = provider.post(
        f"{WHISPER}?ring={ring.pk}", sid=ring.provider_sid, To=ring.shift.phone, From=HOTLINE
    )
    assert CALLER not in response.content.decode()  # the caller's number never goes there
    root = leg(provider, WHISPER, ring)
    gather, redirect = list(root)
    assert gather.tag == "Gather" and gather.get("numDigits") == "1"
    assert target(gather.get("action")) == (TAKE, {"ring": str(ring.pk)})
    say = gather.find("Say")
    assert say.get("language") == "en-GB"  # Bram reads English
    assert "Solidair Brussels call in Dutch" in say.text and "Press 1" in say.text
    assert "Asks for help" in say.text
    assert target(redirect.text) == (TAKE, {"ring": str(ring.pk)})  # silence: not taken

    root = leg(provider, TAKE, ring, Digits="1")
    call = Call.objects.get(provider_sid=SID)
    (dial, hangup) = list(root)
    assert dial.tag == "Dial" and dial.find("Queue").text == f"call-{call.pk}"
    assert CALLER not in str(dial.attrib) and hangup.tag == "Hangup"
    assert call.operator.first_name == "Bram" and call.answered_at is not None
    ring.refresh_from_db()
    assert ring.outcome == RingOutcome.TAKEN


def test_silence_after_the_whisper_rings_the_next_operator(line, provider, dutch_speakers):
    """An operator's voicemail answers and presses nothing: it never takes the call."""
    caller_waits(provider, language="nl")
    (ring,) = ringing()
    leg(provider, WHISPER, ring)
    root = leg(provider, TAKE, ring)  # the Redirect after the Gather, with no Digits
    assert [verb.tag for verb in root] == ["Say", "Hangup"]
    assert "did not take" in root.find("Say").text
    assert rung_operators() == ["Bram", "Chris"]
    assert Call.objects.get(provider_sid=SID).operator is None
    # The leg hangs up; its final status changes nothing more.
    leg_status(provider, ring, "completed")
    assert rung_operators() == ["Bram", "Chris"]


def test_an_operator_who_picks_up_and_hangs_up_without_a_key_rings_the_next(
    line, provider, dutch_speakers
):
    caller_waits(provider, language="nl")
    (ring,) = ringing()
    leg(provider, WHISPER, ring)
    leg_status(provider, ring, "completed")
    ring.refresh_from_db()
    assert ring.outcome == RingOutcome.DECLINED
    assert rung_operators() == ["Bram", "Chris"]


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        ("no-answer", RingOutcome.NO_ANSWER),
        ("busy", RingOutcome.BUSY),
        ("failed", RingOutcome.FAILED),
        ("canceled", RingOutcome.NO_ANSWER),
    ],
)
def test_a_leg_that_does_not_connect_rings_the_next_operator_once(
    line, provider, dutch_speakers, status, outcome
):
    caller_waits(provider, language="nl")
    (ring,) = ringing()
    leg_status(provider, ring, status)
    leg_status(provider, ring, status)  # the provider retries
    ring.refresh_from_db()
    assert ring.outcome == outcome and ring.ended_at is not None
    assert rung_operators() == ["Bram", "Chris"]


def test_a_status_that_is_not_final_changes_nothing(line, provider, dutch_speakers):
    caller_waits(provider, language="nl")
    (ring,) = ringing()
    leg_status(provider, ring, "ringing")
    leg_status(provider, ring, "in-progress")
    assert ringing() == [ring]


def test_each_operator_rings_once_per_call(line, provider, dutch_speakers):
    caller_waits(provider, language="nl")
    for _turn in range(3):
        leg_status(provider, ringing()[0], "no-answer")
    assert rung_operators() == ["Bram", "Chris", "Anna"]
    assert ringing() == []


def test_simultaneous_rings_every_free_operator_and_exactly_one_wins(
    line, provider, dutch_speakers
):
    strategy(line, RingStrategy.SIMULTANEOUS)
    anna, _bram, _chris = dutch_speakers
    Call.objects.create(organisation=line.organisation, operator=anna, caller="+3223334455")
    caller_waits(provider, language="nl")
    first, second = ringing()  # Anna is in a call: not rung
    assert {first.operator.first_name, second.operator.first_name} == {"Bram", "Chris"}
    leg(provider, WHISPER, first)
    leg(provider, WHISPER, second)
    assert leg(provider, TAKE, first, Digits="1").find("Dial") is not None
    late = leg(provider, TAKE, second, Digits="1")
    assert [verb.tag for verb in late] == ["Say", "Hangup"]
    assert "taken by another operator" in late.find("Say").text
    call = Call.objects.get(provider_sid=SID)
    assert call.operator == first.operator
    second.refresh_from_db()
    assert second.outcome == RingOutcome.TOO_LATE and second.ended_at is not None


def test_the_other_phones_stop_ringing_when_one_operator_takes_the_call(
    line, provider, dutch_speakers, monkeypatch
):
    strategy(line, RingStrategy.SIMULTANEOUS)
    stopped = []
    monkeypatch.setattr(dialer, "end_call", stopped.append)
    caller_waits(provider, language="nl")
    first, second, third = ringing()
    leg(provider, TAKE, first, Digits="1")
    assert sorted(stopped) == sorted([second.provider_sid, third.provider_sid])
    assert ringing() == []


def test_the_winner_s_retried_take_bridges_again_and_changes_nothing(
    line, provider, dutch_speakers
):
    caller_waits(provider, language="nl")
    (ring,) = ringing()
    leg(provider, TAKE, ring, Digits="1")
    again = leg(provider, TAKE, ring, Digits="1")
    assert again.find("Dial/Queue") is not None
    assert (
        Call.objects.get(provider_sid=SID).operator == ring.operator and Ring.objects.count() == 1
    )


def test_an_operator_in_a_call_or_whose_phone_rings_is_not_rung(line, provider, dutch_speakers):
    anna, bram, chris = dutch_speakers
    Call.objects.create(organisation=line.organisation, operator=bram, caller="+3223334455")
    caller_waits(provider, language="nl")  # Chris is free: he rings
    caller_waits(provider, language="nl", sid="CA" + "6" * 32)  # Chris rings: Anna
    assert rung_operators() == ["Chris", "Anna"]


def test_a_phone_that_cannot_be_rung_rings_the_next_operator_at_once(
    line, provider, dutch_speakers, monkeypatch
):
    place_call = dialer.place_call

    def refuse_bram(**kwargs):
        if kwargs["to"] == "+32470000002":
            raise ProviderError("HTTP 400 (21211): invalid number")
        return place_call(**kwargs)

    monkeypatch.setattr(dialer, "place_call", refuse_bram)
    caller_waits(provider, language="nl")
    assert rung_operators() == ["Bram", "Chris"]
    assert [ring.outcome for ring in Ring.objects.order_by("pk")] == [
        RingOutcome.FAILED,
        RingOutcome.RINGING,
    ]


def test_a_leg_webhook_with_another_call_s_sid_or_an_unknown_ring_hangs_up(
    line, provider, dutch_speakers
):
    caller_waits(provider, language="nl")
    (ring,) = ringing()
    root = provider.twiml(f"{TAKE}?ring={ring.pk}", sid="CA" + "9" * 32, Digits="1")
    assert [verb.tag for verb in root] == ["Hangup"]
    assert [verb.tag for verb in provider.twiml(f"{TAKE}?ring=999999", Digits="1")] == ["Hangup"]
    assert [verb.tag for verb in provider.twiml(f"{TAKE}?ring=x", Digits="1")] == ["Hangup"]
    assert Call.objects.get(provider_sid=SID).operator is None


def test_the_operators_webhooks_refuse_unsigned_requests(line, provider, dutch_speakers):
    caller_waits(provider, language="nl")
    (ring,) = ringing()
    for path in (WHISPER, TAKE, "/telephony/voice/operator/status/"):
        data = {"CallSid": ring.provider_sid, "Digits": "1", "CallStatus": "busy"}
        assert provider.client.post(f"{path}?ring={ring.pk}", data).status_code == 403
        forged = provider.post(
            f"{path}?ring={ring.pk}", sid=ring.provider_sid, token="x", Digits="1"
        )
        assert forged.status_code == 403
    ring.refresh_from_db()
    assert (
        ring.outcome == RingOutcome.RINGING and Call.objects.get(provider_sid=SID).operator is None
    )


def test_an_operator_who_picks_up_after_the_caller_left_is_told_so(line, provider, dutch_speakers):
    caller_waits(provider, language="nl")
    (ring,) = ringing()
    provider.post("/telephony/voice/status/", CallStatus="completed")
    root = leg(provider, WHISPER, ring)
    assert "no longer waiting" in root.find("Say").text
    assert leg(provider, TAKE, ring, Digits="1").find("Dial") is None
    assert Call.objects.get(provider_sid=SID).operator is None


def test_all_at_once_rings_the_phones_in_one_round_trip_and_stops_them_so_too(
    line, provider, dutch_speakers, monkeypatch
):
    """Each REST request waits until the three are under way together: done one after
    the other, the barrier would break. The webhook answers within the provider's limit
    however many phones ring."""
    import threading

    strategy(line, RingStrategy.SIMULTANEOUS)
    together = threading.Barrier(3, timeout=5)
    placed = iter(range(100))

    def place_call(**kwargs):
        together.wait()
        return f"CA{next(placed):032d}"

    monkeypatch.setattr(dialer, "place_call", place_call)
    caller_waits(provider, language="nl")
    first, second, third = ringing()
    assert {first.provider_sid, second.provider_sid, third.provider_sid} == {
        f"CA{n:032d}" for n in range(3)
    }
    together.reset()
    stopped = []

    def end_call(sid):
        together.wait()
        stopped.append(sid)

    monkeypatch.setattr(dialer, "end_call", end_call)
    # The caller hangs up: the three phones stop at once.
    provider.twiml("/telephony/voice/queue-done/", QueueResult="hangup")
    assert sorted(stopped) == sorted(r.provider_sid for r in (first, second, third))
