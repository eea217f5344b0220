import datetime

import pytest
from django.utils import timezone

from solidair.callcentre import services
from solidair.callcentre.models import Callback, CallbackState, SupportCall, WelfareConcern
from tests.conftest import CsrfClient, login


def a_callback(cast, **fields):
    return services.callback_create(
        organisation=cast.organisation,
        kind="unreachable",
        phone="+3225551234",
        helpee=cast.helpee,
        **fields,
    )


def test_a_listening_call_with_a_follow_up_joins_the_callback_queue_at_its_time(client, cast):
    login(client, cast.operator)
    soon = timezone.localtime() + datetime.timedelta(minutes=10)
    client.post(
        f"/listening/new/?helpee={cast.helpee.pk}",
        {
            "duration_minutes": 25,
            "mood": 2,
            "notes": "Feels lonely since her sister died.",
            "follow_up": "on",
            "follow_up_at": soon.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    call = SupportCall.objects.get()
    assert (call.helpee, call.mood, call.duration_minutes) == (cast.helpee, 2, 25)
    callback = Callback.objects.get()
    assert callback.kind == "follow_up" and callback.phone == "+3225551234"
    # Not yet due: not in the queue; due: in the queue.
    assert "Jeanne" not in client.get("/callbacks/").content.decode()
    Callback.objects.update(due_at=timezone.now())
    assert "Jeanne Dupont" in client.get("/callbacks/").content.decode()


def test_a_follow_up_in_the_past_is_refused_and_the_notes_kept(client, cast):
    login(client, cast.operator)
    past = timezone.localtime() - datetime.timedelta(days=1)
    page = client.post(
        f"/listening/new/?helpee={cast.helpee.pk}",
        {
            "duration_minutes": 5,
            "mood": 3,
            "notes": "Keep me",
            "follow_up": "on",
            "follow_up_at": past.strftime("%Y-%m-%dT%H:%M"),
        },
    ).content.decode()
    assert "This time is already past." in page and "Keep me" in page
    assert not SupportCall.objects.exists()


def test_a_second_operator_claiming_the_same_callback_is_told(client, cast):
    callback = a_callback(cast)
    second = make_second_operator(cast)
    login(client, cast.operator)
    client.post(f"/callbacks/{callback.pk}/claim/")
    other = login(CsrfClient(), second)
    response = other.post(f"/callbacks/{callback.pk}/claim/", follow=True)
    assert "Another operator is already calling this person back." in response.content.decode()
    callback.refresh_from_db()
    assert (callback.state, callback.claimed_by) == (CallbackState.CLAIMED, cast.operator)


def make_second_operator(cast):
    from solidair.people.models import RoleKind
    from tests.conftest import make_user

    return make_user(cast.organisation, "second", RoleKind.OPERATOR)


def test_three_failed_tries_raise_a_welfare_concern_with_the_emergency_contact(client, cast):
    cast.helpee.emergency_contact_name = "Julie (daughter)"
    cast.helpee.emergency_contact_phone = "+32475000111"
    cast.helpee.save()
    callback = a_callback(cast)
    login(client, cast.operator)
    later = (timezone.localtime() + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    for _try in range(3):
        Callback.objects.filter(pk=callback.pk).update(due_at=timezone.now())
        client.post(f"/callbacks/{callback.pk}/claim/")
        client.post(f"/callbacks/{callback.pk}/", {"outcome": "no_answer", "retry_at": later})
    concern = WelfareConcern.objects.get()
    assert concern.helpee == cast.helpee
    login(client, cast.coordinator)
    page = client.get("/coordinator/").content.decode()
    assert "Nobody could reach Jeanne Dupont" in page and "Julie (daughter)" in page


def test_a_reached_callback_is_done(client, cast):
    callback = a_callback(cast)
    login(client, cast.operator)
    client.post(f"/callbacks/{callback.pk}/claim/")
    client.post(f"/callbacks/{callback.pk}/", {"outcome": "reached", "notes": "All fine"})
    callback.refresh_from_db()
    assert callback.state == CallbackState.DONE and callback.attempts.get().notes == "All fine"


def test_recording_without_claiming_is_refused(cast):
    callback = a_callback(cast)
    with pytest.raises(services.CallcentreError):
        services.callback_record(callback=callback, by=cast.operator, outcome="reached")


def test_an_outsider_cannot_see_the_callback(client, cast):
    callback = a_callback(cast)
    login(client, cast.outsider)
    assert client.get(f"/callbacks/{callback.pk}/").status_code == 404
    assert client.post(f"/callbacks/{callback.pk}/claim/").status_code == 404


def test_a_try_sent_twice_is_recorded_once(cast):
    callback = a_callback(cast)
    services.callback_claim(callback=callback, by=cast.operator)
    callback.refresh_from_db()
    second_tab = type(callback).objects.get(pk=callback.pk)
    services.callback_record(callback=callback, by=cast.operator, outcome="no_answer")
    with pytest.raises(services.CallcentreError, match="already recorded"):
        services.callback_record(callback=second_tab, by=cast.operator, outcome="no_answer")
    callback.refresh_from_db()
    assert callback.attempts.count() == 1 and callback.failed_tries == 1


def test_a_callback_claimed_long_ago_can_be_taken_over(client, cast):
    from tests.conftest import make_user

    callback = a_callback(cast)
    services.callback_claim(callback=callback, by=cast.operator)
    colleague = make_user(cast.organisation, "colleague", "operator")
    with pytest.raises(services.CallcentreError, match="Another operator"):
        services.callback_claim(callback=callback, by=colleague)
    type(callback).objects.filter(pk=callback.pk).update(
        claimed_at=timezone.now() - datetime.timedelta(minutes=31)
    )
    login(client, colleague)
    queue = client.get("/callbacks/").content.decode()
    assert "I call back" in queue  # the button is back for the others
    client.post(f"/callbacks/{callback.pk}/claim/")
    callback.refresh_from_db()
    assert callback.claimed_by == colleague


def test_ending_the_shift_gives_the_operator_s_callbacks_back(client, cast):
    callback = a_callback(cast)
    login(client, cast.operator)
    client.post("/operator/shift/start/", {"languages": ["fr"], "phone": "0470 99 88 77"})
    client.post(f"/callbacks/{callback.pk}/claim/")
    client.post("/operator/shift/end/")
    callback.refresh_from_db()
    assert (callback.state, callback.claimed_by) == (CallbackState.OPEN, None)
