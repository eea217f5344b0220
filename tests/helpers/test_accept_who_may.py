"""Only a helper the mission could have been offered to may take it from the accept URL,
and a page left open acts on the mission only while it is still that helper's."""

import pytest

from solidair.helpers import services
from solidair.matching.services import helper_spot_sync
from solidair.missions import services as missions
from solidair.missions.models import Mission, State
from solidair.missions.services import MissionError
from solidair.notifications.models import Message
from solidair.people.models import AccessLog
from tests.conftest import login, make_helper
from tests.helpers.conftest import published_mission


def accept(client, helper, mission):
    login(client, helper.user)
    return client.post(f"/helpers/missions/{mission.pk}/accept/", follow=True)


def assert_refused(response, mission, message):
    text = response.content.decode()
    assert message in text
    assert "Jeanne" not in text and "Bailli" not in text and "02 555 12 34" not in text
    mission.refresh_from_db()
    assert mission.state == State.PUBLISHED and mission.helper is None
    assert not AccessLog.objects.filter(helpee=mission.helpee, user__roles__kind="helper").exists()


def test_a_paused_helper_is_told_to_resume_first(client, cast):
    mission = published_mission(cast)
    cast.helper.paused = True
    cast.helper.save(update_fields=["paused"])
    helper_spot_sync(helper=cast.helper)
    assert_refused(
        accept(client, cast.helper, mission),
        mission,
        "Your offers are paused: resume them on your page to accept missions.",
    )


def test_a_helper_beyond_their_distance_cannot_take_it_by_url(client, cast):
    mission = published_mission(cast)  # in Ixelles
    far = make_helper(cast.organisation, "ostend", latitude=51.22, longitude=2.92)
    assert_refused(accept(client, far, mission), mission, "This mission is not one of yours")


def test_a_helper_without_the_theme_or_the_language_cannot_take_it(client, cast):
    mission = published_mission(cast)
    no_theme = make_helper(cast.organisation, "walker")
    no_theme.themes.set([])
    helper_spot_sync(helper=no_theme)
    assert_refused(accept(client, no_theme, mission), mission, "This mission is not one of yours")
    dutch = make_helper(cast.organisation, "dutch")
    dutch.languages = ["nl"]  # the helpee speaks French
    dutch.save(update_fields=["languages"])
    helper_spot_sync(helper=dutch)
    assert_refused(accept(client, dutch, mission), mission, "This mission is not one of yours")


def test_a_helper_who_gave_it_back_cannot_take_it_again(client, cast):
    mission = published_mission(cast)
    services.mission_accept(mission=mission, helper=cast.helper)
    services.mission_give_back(
        mission=Mission.objects.get(pk=mission.pk), helper=cast.helper, reason="I am ill"
    )
    AccessLog.objects.all().delete()
    assert_refused(
        accept(client, cast.helper, mission),
        mission,
        "You gave this mission back: it is being offered to other helpers.",
    )


def test_a_fitting_helper_still_takes_it(client, cast):
    mission = published_mission(cast)
    response = accept(client, cast.helper, mission)
    assert "Jeanne Dupont" in response.content.decode()


def test_a_give_back_from_a_page_left_open_does_not_touch_the_next_helpers_mission(cast):
    mission = published_mission(cast)
    services.mission_accept(mission=mission, helper=cast.helper)
    # Two more tabs, read before the first gave it back.
    left_open, other_tab = Mission.objects.get(pk=mission.pk), Mission.objects.get(pk=mission.pk)
    services.mission_give_back(
        mission=Mission.objects.get(pk=mission.pk), helper=cast.helper, reason="I am ill"
    )
    services.mission_accept(mission=Mission.objects.get(pk=mission.pk), helper=cast.other_helper)
    with pytest.raises(MissionError, match="This mission has another helper now"):
        services.mission_give_back(mission=left_open, helper=cast.helper, reason="I am ill")
    with pytest.raises(MissionError, match="This mission has another helper now"):
        services.mission_done(mission=other_tab, helper=cast.helper)
    mission.refresh_from_db()
    assert (mission.state, mission.helper) == (State.ASSIGNED, cast.other_helper)
    assert mission.door_code


def test_a_cancellation_reaches_the_helper_who_took_it_a_moment_before(cast):
    mission = published_mission(cast)
    operators_page = Mission.objects.get(pk=mission.pk)  # no helper yet
    services.mission_accept(mission=mission, helper=cast.helper)
    missions.mission_cancel(mission=operators_page, by=cast.operator, reason="The family came")
    assert Message.objects.filter(
        idempotency_key=f"mission:{mission.pk}:cancelled:helper:{cast.helper.pk}"
    ).exists()
