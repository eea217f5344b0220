from datetime import time, timedelta

from django.utils import timezone, translation

from solidair.matching.selectors import rank_helpers
from solidair.matching.services import helper_spot_sync
from solidair.missions.models import Mission, MissionEvent, State
from solidair.people.models import Verification
from tests.matching.conftest import helper_at, next_monday, phone_theme, published_mission


def ranked(mission, **kwargs):
    return [c.helper_id for c in rank_helpers(mission=mission, **kwargs)]


def test_it_ranks_the_nearest_fitting_helper_first(cast):
    far = helper_at(cast, "far", km_north=3)
    near = helper_at(cast, "near", km_north=0.3)
    mission = published_mission(cast)
    assert ranked(mission) == [near.pk, far.pk]


def test_an_unverified_helper_is_not_ranked(cast):
    helper_at(cast, "pending", verification=Verification.PENDING)
    assert ranked(published_mission(cast)) == []


def test_a_helper_who_does_not_speak_the_helpees_language_is_not_ranked(cast):
    helper_at(cast, "dutch", languages=["nl", "de"])
    assert ranked(published_mission(cast)) == []


def test_a_helper_who_does_not_do_the_theme_is_not_ranked(cast):
    helper_at(cast, "walker", themes=[])
    assert ranked(published_mission(cast)) == []


def test_a_helper_out_of_their_own_reach_is_not_ranked(cast):
    helper_at(cast, "homebody", km_north=2, radius_km=1)
    assert ranked(published_mission(cast)) == []


def test_a_helper_out_of_the_themes_reach_is_not_ranked(cast):
    # Groceries reach 5 km, though this helper would go 20.
    helper_at(cast, "cyclist", km_north=8, radius_km=20)
    assert ranked(published_mission(cast)) == []


def test_a_helper_unavailable_in_the_window_is_not_ranked(cast):
    helper_at(cast, "evenings", availability={"mon": ["evening"]})
    mondays = helper_at(cast, "mornings", availability={"mon": ["morning"]})
    mission = published_mission(cast, day=next_monday(), time_from=time(9), time_to=time(11))
    assert ranked(mission) == [mondays.pk]


def test_as_soon_as_possible_takes_helpers_available_now(cast):
    helper_at(cast, "never", availability={})
    now = helper_at(cast, "now", availability={}, available_now=True)
    mission = published_mission(cast, day=None, time_from=None, time_to=None)
    assert ranked(mission) == [now.pk]


def test_a_helper_at_their_weekly_maximum_is_not_ranked(cast):
    busy = helper_at(cast, "busy", max_missions_per_week=1)
    earlier = published_mission(cast)
    Mission.objects.filter(pk=earlier.pk).update(state=State.ASSIGNED, helper=busy)
    MissionEvent.objects.create(
        mission=earlier, from_state=State.PUBLISHED, to_state=State.ASSIGNED, at=timezone.now()
    )
    helper_spot_sync(helper=busy)
    assert ranked(published_mission(cast)) == []


def test_another_organisations_helper_is_not_ranked(cast):
    stranger = helper_at(cast, "stranger", sync=False)
    stranger.organisation = cast.elsewhere
    stranger.save()
    helper_spot_sync(helper=stranger)
    assert ranked(published_mission(cast)) == []


def test_the_previous_helper_comes_first_for_a_recurring_mission_with_a_backup(cast):
    nearest = helper_at(cast, "nearest", km_north=0.1)
    previous = helper_at(cast, "previous", km_north=4)
    last_week = published_mission(cast, recurrence="weekly")
    Mission.objects.filter(pk=last_week.pk).update(state=State.DONE, helper=previous)
    candidates = rank_helpers(mission=published_mission(cast, recurrence="weekly"))
    assert [(c.helper_id, c.role) for c in candidates] == [
        (previous.pk, "previous"),
        (nearest.pk, "backup"),
    ]


def test_the_ranking_explains_itself_in_the_staffs_language(cast):
    helper_at(cast, "near", km_north=1)
    mission = published_mission(cast)
    with translation.override("en"):
        (candidate,) = rank_helpers(mission=mission)
    texts = [reason.text for reason in candidate.reasons]
    assert "1.0 km away" in texts
    assert "Kept 100% of the missions they took" in texts
    assert round(sum(r.points for r in candidate.reasons), 1) == candidate.score


def test_phone_support_reaches_any_distance_idle_helpers_first(cast):
    phone = phone_theme()
    busy_far = helper_at(cast, "busy", km_north=80, themes=[phone])
    idle_far = helper_at(cast, "idle", km_north=120, themes=[phone])
    from solidair.matching.models import HelperSpot

    HelperSpot.objects.filter(helper=busy_far).update(last_assigned_at=timezone.now())
    HelperSpot.objects.filter(helper=idle_far).update(
        last_assigned_at=None, joined_at=timezone.now() - timedelta(days=20)
    )
    mission = published_mission(cast, theme=phone)
    assert ranked(mission) == [idle_far.pk, busy_far.pk]
