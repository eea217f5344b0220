"""Stopping an operator's phone: Twilio cancels a call that still rings with status
"canceled" ("completed" is for a call in progress), then hangs up one already answered."""

from urllib.parse import parse_qs

import pytest
import requests

from solidair.notifications.providers.base import ProviderError
from solidair.telephony import dialer
from tests.notifications.conftest import FakeHttp, http_response

SID = "CA" + "3" * 32


@pytest.fixture
def twilio(settings, monkeypatch):
    settings.NOTIFICATIONS_PROVIDER = "twilio"
    settings.TWILIO_ACCOUNT_SID = "AC" + "0" * 32
    settings.TWILIO_API_BASE_URL = "https://api.twilio.com"
    fake = FakeHttp()
    monkeypatch.setattr(
        requests.Session, "send", lambda session, prepared, **kw: fake.send(session, prepared, **kw)
    )
    return fake


def statuses_sent(fake):
    return [parse_qs(request.body)["Status"][0] for request in fake.posts_to(f"/Calls/{SID}.json")]


def test_a_ringing_phone_is_cancelled(twilio):
    twilio.answer(http_response(200, {"sid": SID, "status": "canceled"}))
    dialer.end_call(SID)
    assert statuses_sent(twilio) == ["canceled"]


def test_a_phone_already_answered_is_hung_up(twilio):
    twilio.answer(
        http_response(200, {"sid": SID, "status": "in-progress"}),
        http_response(200, {"sid": SID, "status": "completed"}),
    )
    dialer.end_call(SID)
    assert statuses_sent(twilio) == ["canceled", "completed"]


def test_a_call_already_over_is_left_alone(twilio):
    twilio.answer(http_response(404, {"code": 20404, "message": "not found", "status": 404}))
    dialer.end_call(SID)
    assert statuses_sent(twilio) == ["canceled"]


def test_a_refusal_is_reported(twilio):
    twilio.answer(http_response(500, {"code": 20500, "message": "oops", "status": 500}))
    with pytest.raises(ProviderError):
        dialer.end_call(SID)


def test_a_simulated_call_is_never_sent(twilio):
    dialer.end_call(dialer.SIMULATED_PREFIX + "abc")
    assert twilio.requests == []
