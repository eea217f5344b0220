"""Delivery reports from the provider: signed, idempotent, and only ever forward."""

import pytest
from django.test import Client
from twilio.request_validator import RequestValidator

from solidair.notifications.models import Message, Status
from tests.notifications.conftest import SITE, TWILIO_TOKEN, sms_accepted, tell

SID = "SM" + "1" * 32


@pytest.fixture
def client():
    """The provider: no CSRF token (the views are exempt), and nothing added to what it signs."""
    return Client(enforce_csrf_checks=True)


def report(client, message, status, sid=SID, token=TWILIO_TOKEN, **extra):
    path = f"/notifications/twilio/status/{message.pk}/"
    data = {"MessageSid": sid, "MessageStatus": status, **extra}
    signature = RequestValidator(token).compute_signature(SITE + path, data)
    return client.post(path, data, HTTP_X_TWILIO_SIGNATURE=signature)


def sent_sms(helpee, twilio, capture):
    twilio.answer(sms_accepted(SID))
    with capture(execute=True):
        message = tell(helpee)
    message.refresh_from_db()
    assert message.status == Status.SENT
    return message


def test_a_delivery_report_marks_the_sms_delivered(
    mobile_helpee, twilio, client, django_capture_on_commit_callbacks
):
    message = sent_sms(mobile_helpee, twilio, django_capture_on_commit_callbacks)
    assert report(client, message, "delivered").status_code == 204
    message.refresh_from_db()
    assert message.status == Status.DELIVERED


def test_a_report_arriving_twice_or_late_only_moves_the_status_forward(
    mobile_helpee, twilio, client, django_capture_on_commit_callbacks
):
    message = sent_sms(mobile_helpee, twilio, django_capture_on_commit_callbacks)
    report(client, message, "delivered")
    report(client, message, "delivered")
    report(client, message, "sent")  # overtaken on the way
    report(client, message, "queued")
    report(client, message, "failed")
    message.refresh_from_db()
    assert message.status == Status.DELIVERED and message.last_error == ""


def test_a_report_for_another_provider_id_changes_nothing(
    mobile_helpee, twilio, client, django_capture_on_commit_callbacks
):
    message = sent_sms(mobile_helpee, twilio, django_capture_on_commit_callbacks)
    report(client, message, "delivered", sid="SM" + "9" * 32)
    message.refresh_from_db()
    assert message.status == Status.SENT


def test_a_report_without_a_valid_signature_is_refused(
    mobile_helpee, twilio, client, django_capture_on_commit_callbacks
):
    message = sent_sms(mobile_helpee, twilio, django_capture_on_commit_callbacks)
    assert report(client, message, "delivered", token="someone-else").status_code == 403
    unsigned = client.post(
        f"/notifications/twilio/status/{message.pk}/",
        {"MessageSid": SID, "MessageStatus": "delivered"},
    )
    assert unsigned.status_code == 403
    message.refresh_from_db()
    assert message.status == Status.SENT


def test_an_sms_reported_undelivered_to_a_landline_is_followed_by_a_call(
    mobile_helpee, twilio, client, django_capture_on_commit_callbacks
):
    message = sent_sms(mobile_helpee, twilio, django_capture_on_commit_callbacks)
    twilio.answer(sms_accepted("CA" + "3" * 32))
    with django_capture_on_commit_callbacks(execute=True):
        report(client, message, "undelivered", ErrorCode="30006")
        report(client, message, "undelivered", ErrorCode="30006")
    message.refresh_from_db()
    assert message.status == Status.UNDELIVERABLE and "30006" in message.last_error
    calls = Message.objects.filter(fallback_of=message)
    assert [(c.channel, c.status) for c in calls] == [("voice", Status.SENT)]


def test_pressing_1_hears_the_message_again(cast, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = tell(cast.helpee)
    path = f"/notifications/twilio/voice/{message.pk}/"
    data = {"CallSid": "CA" + "4" * 32, "Digits": "1"}
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(SITE + path, data)
    again = client.post(path, data, HTTP_X_TWILIO_SIGNATURE=signature)
    assert again.status_code == 200 and again["Content-Type"] == "text/xml"
    assert "Sam will come on Monday." in again.content.decode()
    data["Digits"] = "9"
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(SITE + path, data)
    done = client.post(path, data, HTTP_X_TWILIO_SIGNATURE=signature)
    assert "<Hangup />" in done.content.decode()


def test_a_failed_sms_is_followed_by_a_call_too(
    mobile_helpee, twilio, client, django_capture_on_commit_callbacks
):
    message = sent_sms(mobile_helpee, twilio, django_capture_on_commit_callbacks)
    twilio.answer(sms_accepted("CA" + "4" * 32))
    with django_capture_on_commit_callbacks(execute=True):
        report(client, message, "failed", ErrorCode="30008")
    assert [(c.channel, c.status) for c in Message.objects.filter(fallback_of=message)] == [
        ("voice", Status.SENT)
    ]


def test_a_helpee_no_route_reached_is_called_back_by_an_operator(
    mobile_helpee, twilio, client, django_capture_on_commit_callbacks
):
    """The call after the SMS is not answered either: nothing is left to try, so the
    operators' callback queue gets it, with what the message said."""
    from solidair.callcentre.models import Callback, CallbackKind

    message = sent_sms(mobile_helpee, twilio, django_capture_on_commit_callbacks)
    twilio.answer(sms_accepted("CA" + "5" * 32))
    with django_capture_on_commit_callbacks(execute=True):
        report(client, message, "undelivered")
    call = Message.objects.get(fallback_of=message)
    assert not Callback.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        report(client, call, "no-answer", sid="CA" + "5" * 32)
        report(client, call, "no-answer", sid="CA" + "5" * 32)  # the provider retries
    callback = Callback.objects.get()
    assert (callback.kind, callback.helpee, callback.phone) == (
        CallbackKind.NOT_REACHED,
        mobile_helpee,
        "+32470123456",
    )
    assert callback.reason == "Sam will come on Monday."
