"""Delivering a message: once, by the right route, retried while the provider is down."""

import requests
from django.utils.translation import gettext_lazy as _

from solidair.notifications import tasks
from solidair.notifications.models import Channel, ConsoleRecord, Message, Status
from solidair.notifications.recipients import recipient_for_helpee, recipient_for_user
from solidair.notifications.services import notify
from tests.notifications.conftest import (
    call_accepted,
    http_response,
    sms_accepted,
    tell,
    twilio_error,
)


def test_a_mobile_helpee_gets_an_sms_in_their_language(
    mobile_helpee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = notify(
            recipient=recipient_for_helpee(mobile_helpee),
            key="mission:7:assigned:helpee",
            body=_("%(name)s will come on %(day)s"),
            params={"name": "Sam", "day": "lundi"},
        )
    message.refresh_from_db()
    assert (message.channel, message.status, message.language) == ("sms", Status.SENT, "fr")
    record = ConsoleRecord.objects.get(message=message)
    assert record.address == "+32470123456" and record.content == message.body
    assert "Sam" in record.content and "lundi" in record.content


def test_nothing_is_sent_until_the_change_that_caused_it_is_committed(
    mobile_helpee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = tell(mobile_helpee)
    assert ConsoleRecord.objects.count() == 0
    assert Message.objects.get(pk=message.pk).status == Status.QUEUED
    assert len(callbacks) == 1


def test_a_landline_gets_a_voice_call_instead_of_an_sms(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = tell(cast.helpee)  # +3225551234: a Brussels landline
    message.refresh_from_db()
    assert message.channel == Channel.VOICE and message.status == Status.SENT
    twiml = ConsoleRecord.objects.get(message=message).content
    assert '<Say language="fr-FR" voice="Polly.Celine">Sam will come on Monday.</Say>' in twiml
    assert '<Gather action="https://solidair.test/notifications/twilio/voice/' in twiml
    assert (
        'numDigits="1"' in twiml and twiml.count('<Say language="fr-FR" voice="Polly.Celine">') == 2
    )


def test_an_sms_the_provider_says_cannot_reach_the_number_becomes_a_call(
    mobile_helpee, twilio, django_capture_on_commit_callbacks
):
    twilio.answer(
        twilio_error(400, 21614, "'To' number is not a valid mobile number"), call_accepted()
    )
    with django_capture_on_commit_callbacks(execute=True):
        sms = tell(mobile_helpee)
    sms.refresh_from_db()
    assert sms.status == Status.UNDELIVERABLE and "21614" in sms.last_error
    call = Message.objects.get(fallback_of=sms)
    assert (call.channel, call.address, call.status) == ("voice", "+32470123456", Status.SENT)
    assert len(twilio.posts_to("/Messages.json")) == 1 and len(twilio.posts_to("/Calls.json")) == 1


def test_the_same_job_run_twice_sends_one_sms(
    mobile_helpee, twilio, django_capture_on_commit_callbacks
):
    twilio.answer(sms_accepted(), sms_accepted("SM" + "2" * 32))
    with django_capture_on_commit_callbacks(execute=True):
        message = tell(mobile_helpee)
    tasks.deliver_message.enqueue(message.pk)
    tasks.deliver_message.enqueue(message.pk)
    message.refresh_from_db()
    assert len(twilio.posts_to("/Messages.json")) == 1
    assert message.status == Status.SENT and message.tries == 1
    assert message.provider_message_id == "SM" + "1" * 32


def test_the_same_notification_asked_twice_is_one_message(
    mobile_helpee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = tell(mobile_helpee)
        second = tell(mobile_helpee)
    assert first.pk == second.pk
    assert ConsoleRecord.objects.count() == 1


def test_a_provider_down_is_retried_then_the_message_is_failed_and_shown(
    mobile_helpee, twilio, admin, client, django_capture_on_commit_callbacks
):
    twilio.answer(
        http_response(503, {"message": "Service Unavailable"}),
        requests.exceptions.ReadTimeout("read timed out"),
        http_response(500, {"message": "Internal Server Error"}),
    )
    with django_capture_on_commit_callbacks(execute=True):
        message = tell(mobile_helpee)
    message.refresh_from_db()
    assert (message.status, message.tries) == (Status.FAILED, 3)
    assert "HTTP 500" in message.last_error
    assert len(twilio.posts_to("/Messages.json")) == 3
    client.force_login(admin)
    page = client.get("/notifications/failed/").content.decode()
    assert "Sam will come on Monday." in page and "HTTP 500" in page


def test_a_provider_back_up_sends_on_a_later_try(
    mobile_helpee, twilio, django_capture_on_commit_callbacks
):
    twilio.answer(requests.exceptions.ConnectTimeout("timed out"), sms_accepted())
    with django_capture_on_commit_callbacks(execute=True):
        message = tell(mobile_helpee)
    message.refresh_from_db()
    assert (message.status, message.tries, message.last_error) == (Status.SENT, 2, "")


def test_a_user_without_push_or_phone_gets_an_email(
    cast, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        message = notify(
            recipient=recipient_for_user(cast.coordinator, organisation_id=cast.organisation.pk),
            key="unmatched:1:coordinator",
            subject="Mission 1",
            body="Nobody has taken mission 1 yet.",
        )
    message.refresh_from_db()
    assert message.channel == Channel.EMAIL and message.status == Status.SENT
    assert mailoutbox[0].to == ["coordinator@example.org"]
    assert mailoutbox[0].subject == "Mission 1"


def test_an_email_without_a_subject_takes_the_first_sentence_of_its_text(
    cast, django_capture_on_commit_callbacks, mailoutbox
):
    body = (
        "Solidair : la mission #26 (1030) n’a trouvé aucun bénévole. "
        "Voir les missions en difficulté."
    )
    long = "Solidair: " + "a very long sentence written for a small screen " * 3 + "and more"
    with django_capture_on_commit_callbacks(execute=True):
        for key, text in (("unmatched:26", body), ("long", long)):
            notify(
                recipient=recipient_for_user(
                    cast.coordinator, organisation_id=cast.organisation.pk
                ),
                key=key,
                body=text,
            )
    first, second = mailoutbox
    assert first.subject == "Solidair : la mission #26 (1030) n’a trouvé aucun bénévole."
    assert first.body == body  # the whole text is still there
    assert second.subject == (
        "Solidair: a very long sentence written for a small screen a very long…"
    )
    assert len(second.subject) <= 78
