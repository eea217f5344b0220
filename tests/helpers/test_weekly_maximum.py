"""A helper's weekly maximum holds at accept time: pressing Accept, or calling the
accept URL directly, at the maximum is refused clearly and changes nothing."""

import pytest

from solidair.helpers.services import WeeklyMaximumReached, mission_accept
from solidair.missions import services as missions
from solidair.missions.models import MissionEvent, State
from tests.conftest import login
from tests.helpers.conftest import published_mission


def at_most(helper, count):
    helper.max_missions_per_week = count
    helper.save(update_fields=["max_missions_per_week"])
    return helper


def accept(client, mission):
    return client.post(f"/helpers/missions/{mission.pk}/accept/", follow=True)


def test_a_helper_at_their_weekly_maximum_is_refused_and_nothing_changes(client, cast):
    helper = at_most(cast.helper, 1)
    first, second = published_mission(cast), published_mission(cast)
    login(client, helper.user)
    accept(client, first)
    response = accept(client, second)
    text = response.content.decode()
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/helpers/feed/"
    assert "You have already taken 1 mission this week, the most you chose" in text
    second.refresh_from_db()
    assert second.state == State.PUBLISHED and second.helper is None and not second.door_code
    assert not MissionEvent.objects.filter(mission=second, to_state=State.ASSIGNED).exists()


def test_the_feed_says_so_before_the_helper_presses(client, cast):
    helper = at_most(cast.helper, 1)
    missions.mission_assign(mission=published_mission(cast), helper=helper, by=helper.user)
    published_mission(cast)
    login(client, helper.user)
    text = client.get("/helpers/feed/").content.decode()
    assert "You have taken 1 mission this week, the most you chose" in text


def test_below_the_maximum_the_helper_may_accept(cast):
    helper = at_most(cast.helper, 2)
    mission_accept(mission=published_mission(cast), helper=helper)
    second = mission_accept(mission=published_mission(cast), helper=helper)
    assert second.state == State.ASSIGNED and second.helper == helper


def test_a_mission_given_back_or_cancelled_no_longer_counts(cast):
    helper = at_most(cast.helper, 1)
    given_back = mission_accept(mission=published_mission(cast), helper=helper)
    missions.mission_release(mission=given_back, by=helper.user, reason="Ill")
    cancelled = mission_accept(mission=published_mission(cast), helper=helper)
    missions.mission_cancel(mission=cancelled, by=cast.operator, reason="Not needed")
    third = mission_accept(mission=published_mission(cast), helper=helper)
    assert third.helper == helper


def test_the_service_refuses_with_its_own_error(cast):
    helper = at_most(cast.helper, 1)
    mission_accept(mission=published_mission(cast), helper=helper)
    with pytest.raises(WeeklyMaximumReached, match="next week"):
        mission_accept(mission=published_mission(cast), helper=helper)
