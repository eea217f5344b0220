from solidair.callcentre.models import Callback
from solidair.missions import services
from solidair.missions.models import Mission, State
from tests.callcentre.test_public_request import send
from tests.conftest import CsrfClient, login, make_helper


def test_a_moderator_publishes_a_web_request(client, cast):
    send(CsrfClient(), cast)
    mission = Mission.objects.get(helpee__first_name="Simone")
    login(client, cast.moderator)
    assert f"#{mission.pk}" in client.get("/moderator/").content.decode()
    client.post(f"/missions/{mission.pk}/publish/")
    mission.refresh_from_db()
    assert mission.state == State.PUBLISHED


def test_a_moderator_rejects_with_a_reason_told_to_the_requester(client, cast):
    send(CsrfClient(), cast)
    mission = Mission.objects.get(helpee__first_name="Simone")
    login(client, cast.moderator)
    client.post(f"/missions/{mission.pk}/reject/", {"reason": "Outside our area"})
    mission.refresh_from_db()
    assert mission.state == State.CANCELLED
    assert mission.events.last().reason == "Outside our area"
    told = Callback.objects.get(kind="review")
    assert told.reason == "Outside our area" and told.phone == "+32475112233"


def test_rejecting_without_a_reason_is_refused(client, cast):
    mission = services.mission_create(helpee=cast.helpee, theme=cast.groceries, by=cast.operator)
    login(client, cast.moderator)
    page = client.post(f"/missions/{mission.pk}/reject/", {"reason": ""}).content.decode()
    assert "This field is required." in page
    assert Mission.objects.get(pk=mission.pk).state == State.PENDING_REVIEW


def test_a_released_mission_is_in_trouble_and_is_assigned_by_hand(client, cast):
    mission = services.mission_create(
        helpee=cast.helpee, theme=cast.groceries, by=cast.trusted_operator
    )
    services.mission_assign(mission=mission, helper=cast.helper, by=cast.helper.user)
    services.mission_release(mission=mission, by=cast.helper.user, reason="ill")
    far = make_helper(cast.organisation, "far", latitude=50.95, longitude=4.6)
    login(client, cast.operator)
    assert "Released by the helper" in client.get("/trouble/").content.decode()
    page = client.get(f"/missions/{mission.pk}/assign/").content.decode()
    assert page.index("Helper ") < page.index("Far ")  # nearest first
    # A tampered or empty choice is a message, not a crash; nothing changes.
    for bad in ("abc", ""):
        response = client.post(f"/missions/{mission.pk}/assign/", {"helper": bad}, follow=True)
        assert (
            response.status_code == 200 and "Please choose a helper." in response.content.decode()
        )
    mission.refresh_from_db()
    assert mission.state == State.PUBLISHED
    client.post(f"/missions/{mission.pk}/assign/", {"helper": far.pk})
    mission.refresh_from_db()
    assert (mission.state, mission.helper, mission.trouble) == (State.ASSIGNED, far, "")


def test_an_operator_reports_that_the_helper_did_not_come(client, cast):
    mission = services.mission_create(
        helpee=cast.helpee, theme=cast.groceries, by=cast.trusted_operator
    )
    services.mission_assign(mission=mission, helper=cast.helper, by=cast.helper.user)
    login(client, cast.operator)
    client.post(f"/missions/{mission.pk}/no-show/", {"reason": "Waited all morning"})
    mission.refresh_from_db()
    assert (mission.state, mission.helper, mission.trouble) == (State.PUBLISHED, None, "no_show")
    assert "The helper did not come" in client.get("/trouble/").content.decode()


def test_a_helper_cannot_report_a_no_show(client, cast):
    mission = services.mission_create(
        helpee=cast.helpee, theme=cast.groceries, by=cast.trusted_operator
    )
    services.mission_assign(mission=mission, helper=cast.helper, by=cast.helper.user)
    login(client, cast.helper.user)
    client.post(f"/missions/{mission.pk}/no-show/", {"reason": "x"})
    assert Mission.objects.get(pk=mission.pk).state == State.ASSIGNED


def test_a_helper_reports_the_helpee_did_not_answer(cast):
    from solidair.callcentre.services import mission_report_unreachable

    mission = services.mission_create(
        helpee=cast.helpee, theme=cast.groceries, by=cast.trusted_operator
    )
    services.mission_assign(mission=mission, helper=cast.helper, by=cast.helper.user)
    assert len(Mission.objects.get(pk=mission.pk).door_code) == 4
    mission_report_unreachable(mission=mission, by=cast.helper.user, note="Rang twice")
    mission.refresh_from_db()
    assert (mission.state, mission.trouble) == (State.ASSIGNED, "unreachable")
    callback = Callback.objects.get(kind="unreachable")
    assert callback.helpee == cast.helpee and callback.reason == "Rang twice"


def test_another_helper_cannot_report_it(cast):
    import pytest

    from solidair.callcentre.services import mission_report_unreachable

    mission = services.mission_create(
        helpee=cast.helpee, theme=cast.groceries, by=cast.trusted_operator
    )
    services.mission_assign(mission=mission, helper=cast.helper, by=cast.helper.user)
    with pytest.raises(services.MissionError):
        mission_report_unreachable(mission=mission, by=cast.other_helper.user)
    assert not Callback.objects.filter(kind="unreachable").exists()


def test_published_too_long_counts_from_publication_not_from_the_last_edit(client, cast):
    import datetime

    from django.utils import timezone

    from solidair.missions.models import Mission, MissionEvent

    mission = services.mission_create(
        helpee=cast.helpee, theme=cast.groceries, by=cast.trusted_operator
    )
    long_ago = timezone.now() - datetime.timedelta(
        hours=cast.organisation.unmatched_after_hours + 1
    )
    MissionEvent.objects.filter(mission=mission).update(at=long_ago)
    Mission.objects.filter(pk=mission.pk).update(created_at=long_ago)
    login(client, cast.operator)
    assert f"#{mission.pk}" in client.get("/trouble/").content.decode()
    # A typo fixed now (updated_at moves) does not hide it from the operators.
    Mission.objects.filter(pk=mission.pk).update(updated_at=timezone.now(), details="Bread, milk")
    assert f"#{mission.pk}" in client.get("/trouble/").content.decode()
