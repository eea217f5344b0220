"""What Solidair tells people, in their language, once."""

import datetime
import xml.etree.ElementTree as ET

from django.utils import timezone

from solidair.callcentre import services as callcentre
from solidair.callcentre.models import Callback
from solidair.missions import services
from solidair.missions.models import Mission
from solidair.notifications.messages import reminders_due
from solidair.notifications.models import ConsoleRecord, Message, QuietHours
from solidair.notifications.recipients import recipient_for_user
from solidair.notifications.services import notify, quiet_delay
from tests.conftest import login, make_helpee


def assigned(cast, helpee=None, **fields):
    mission = services.mission_create(
        helpee=helpee or cast.helpee, theme=cast.groceries, by=cast.trusted_operator, **fields
    )
    return services.mission_assign(mission=mission, helper=cast.helper, by=cast.helper.user)


def test_a_landline_helpee_hears_who_comes_and_the_door_code_in_french(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mission = assigned(cast)
    record = ConsoleRecord.objects.get(message__helpee=cast.helpee)
    assert (record.channel, record.language, record.address) == ("voice", "fr", "+3225551234")
    say = ET.fromstring(record.content).find("Say")
    assert say.get("language") == "fr-FR"
    assert "Helper" in say.text and " ".join(mission.door_code) in say.text
    assert "viendra" in say.text  # French
    gather = ET.fromstring(record.content).find("Gather")
    assert gather.get("numDigits") == "1"


def test_a_mobile_helpee_gets_an_sms_with_the_day_and_window_in_dutch(
    cast, django_capture_on_commit_callbacks
):
    helpee = make_helpee(cast.organisation, cast.operator, first_name="Mia", phone="+32470123123")
    helpee.language = "nl"
    helpee.save()
    day = timezone.localdate() + datetime.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        mission = assigned(
            cast,
            helpee=helpee,
            timing="window",
            day=day,
            time_from=datetime.time(10),
            time_to=datetime.time(12),
        )
    record = ConsoleRecord.objects.get(message__helpee=helpee)
    assert record.channel == "sms" and record.language == "nl"
    assert "10:00" in record.content and "12:00" in record.content
    assert " ".join(mission.door_code) in record.content


def test_assigning_twice_in_a_retry_sends_one_message(cast, django_capture_on_commit_callbacks):
    from solidair.notifications.messages import helpee_told_who_comes

    with django_capture_on_commit_callbacks(execute=True):
        mission = assigned(cast)
        helpee_told_who_comes(mission)
    assert Message.objects.filter(helpee=cast.helpee).count() == 1


def test_cancelling_tells_the_helpee_and_the_helper(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mission = assigned(cast)
        services.mission_cancel(mission=mission, by=cast.coordinator, reason="Family came")
    keys = set(Message.objects.values_list("idempotency_key", flat=True))
    assert f"mission:{mission.pk}:cancelled:helpee" in keys
    assert f"mission:{mission.pk}:cancelled:helper:{cast.helper.pk}" in keys


def test_an_unmatched_mission_and_a_welfare_concern_alert_the_coordinators(
    cast, django_capture_on_commit_callbacks
):
    mission = services.mission_create(
        helpee=cast.helpee, theme=cast.groceries, by=cast.trusted_operator
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.mission_escalate(mission=mission, by=None, reason="nobody")
    assert Message.objects.filter(user=cast.coordinator, mission=mission).exists()
    callback = callcentre.callback_create(
        organisation=cast.organisation, kind="unreachable", phone="+3225551234", helpee=cast.helpee
    )
    for _try in range(3):
        callcentre.callback_claim(callback=callback, by=cast.operator)
        callcentre.callback_record(
            callback=callback,
            by=cast.operator,
            outcome="no_answer",
            retry_at=timezone.now(),
        )
        callback.refresh_from_db()
    assert Message.objects.filter(user=cast.coordinator, idempotency_key__startswith="concern:")


def test_not_my_volunteer_alerts_the_coordinators_at_once(client, cast):
    mission = assigned(cast)
    login(client, cast.operator)
    page = client.get(f"/helpees/{cast.helpee.pk}/").content.decode()
    assert "Helper is coming" in page and mission.door_code in page
    response = client.post(f"/missions/{mission.pk}/not-my-volunteer/", follow=True)
    assert "The coordinators are alerted" in response.content.decode()
    assert Message.objects.filter(
        user=cast.coordinator, idempotency_key__contains="not-my-volunteer"
    ).exists()
    assert "not their volunteer" in mission.events.last().reason


def test_reminders_go_once(cast, django_capture_on_commit_callbacks):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    mission = assigned(
        cast, timing="window", day=tomorrow, time_from=datetime.time(9), time_to=datetime.time(11)
    )
    evening = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time(18))
    )
    with django_capture_on_commit_callbacks(execute=True):
        reminders_due(evening)
        reminders_due(evening + datetime.timedelta(minutes=15))
    assert Message.objects.filter(idempotency_key__contains=":reminder:helpee:").count() == 1
    morning = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(7, 30)))
    reminders_due(morning)
    reminder = Message.objects.get(idempotency_key__contains=":reminder:helper:")
    assert mission.door_code in reminder.body


def test_quiet_hours_hold_a_message_that_is_not_urgent(cast):
    QuietHours.objects.create(user=cast.helper.user, start=datetime.time(21), end=datetime.time(8))
    late = timezone.make_aware(datetime.datetime(2026, 11, 23, 23, 0))
    quiet = QuietHours.objects.get()
    assert quiet.remaining(timezone.localtime(late)) == datetime.timedelta(hours=9)
    noon = timezone.make_aware(datetime.datetime(2026, 11, 23, 12, 0))
    assert quiet.remaining(timezone.localtime(noon)) is None
    recipient = recipient_for_user(cast.helper.user)
    assert (quiet_delay(recipient) is None) == (quiet.remaining(timezone.localtime()) is None)
    assert notify(recipient=recipient, key="quiet-test", body="Hello", urgent=False)


def test_quiet_hours_end_at_their_wall_clock_time_the_night_the_clocks_change(cast):
    quiet = QuietHours(user=cast.helper.user, start=datetime.time(21), end=datetime.time(8))
    # 24 October 2026, 22:00 in Brussels: the clocks go back at 3:00, the night is
    # 11 hours long, and the message waits until 8:00 on the clock, not 7:00.
    autumn = timezone.make_aware(datetime.datetime(2026, 10, 24, 22, 0))
    held = quiet.remaining(timezone.localtime(autumn))
    assert held == datetime.timedelta(hours=11)
    assert timezone.localtime(autumn.astimezone(datetime.UTC) + held).time() == datetime.time(8)
    spring = timezone.make_aware(datetime.datetime(2026, 3, 28, 22, 0))
    assert quiet.remaining(timezone.localtime(spring)) == datetime.timedelta(hours=9)


def test_a_helpee_s_name_never_reaches_the_logs(cast):
    recipient = recipient_for_user(cast.helper.user)
    assert recipient.name and recipient.name not in repr(recipient)


def test_after_the_mission_the_helpee_presses_2_and_an_operator_calls_back(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mission = assigned(cast)
        services.mission_complete(mission=mission, by=cast.helper.user)
    message = Message.objects.get(purpose="feedback")
    record = ConsoleRecord.objects.get(message=message)
    assert "Appuyez sur 1" in record.content or "1" in record.content
    callcentre.mission_feedback_by_phone(mission_id=mission.pk, received=False)
    callcentre.mission_feedback_by_phone(mission_id=mission.pk, received=False)
    assert Callback.objects.filter(mission=mission, kind="follow_up").count() == 1
    callcentre.mission_feedback_by_phone(mission_id=mission.pk, received=True)
    assert Mission.objects.get(pk=mission.pk).helpee_confirmed_at is not None


def test_a_helper_sets_and_removes_quiet_hours(client, cast):
    login(client, cast.helper.user)
    client.post("/notifications/push/", {"start": "21:00", "end": "08:00"})
    quiet = QuietHours.objects.get(user=cast.helper.user)
    assert (quiet.start, quiet.end) == (datetime.time(21), datetime.time(8))
    page = client.post("/notifications/push/", {"start": "21:00", "end": "21:00"})
    assert "The quiet hours must end at another time." in page.content.decode()
    client.post("/notifications/push/", {"remove": "1"})
    assert not QuietHours.objects.exists()


def test_after_the_mission_a_mobile_helpee_is_asked_by_sms_to_reply_1(
    cast, django_capture_on_commit_callbacks
):
    helpee = make_helpee(cast.organisation, cast.trusted_operator, phone="+32475998877")
    with django_capture_on_commit_callbacks(execute=True):
        mission = assigned(cast, helpee=helpee)
        services.mission_complete(mission=mission, by=cast.helper.user)
    record = ConsoleRecord.objects.get(message__purpose="feedback")
    assert (record.channel, record.address) == ("sms", "+32475998877")
    assert record.content.startswith("Bonjour")
    assert record.content.endswith("Répondez 1 si vous avez bien reçu votre aide.")
