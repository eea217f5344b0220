"""The door code: four digits made at acceptance, new for each helper who takes the
mission, valid until the mission ends."""

from solidair.helpers.services import mission_accept, mission_done, mission_give_back
from solidair.missions import services as missions
from tests.helpers.conftest import published_mission


def test_accepting_makes_a_four_digit_code(cast):
    mission = mission_accept(mission=published_mission(cast), helper=cast.helper)
    assert len(mission.door_code) == 4 and mission.door_code.isdigit()


def test_a_code_is_not_reused_by_the_next_helper(cast):
    mission = mission_accept(mission=published_mission(cast), helper=cast.helper)
    mission = mission_give_back(mission=mission, helper=cast.helper, reason="Ill")
    assert mission.door_code == ""  # the first helper's code opens nothing any more
    mission = mission_accept(mission=mission, helper=cast.other_helper)
    assert len(mission.door_code) == 4


def test_the_code_ends_with_the_mission_done(cast):
    mission = mission_accept(mission=published_mission(cast), helper=cast.helper)
    mission = mission_done(mission=mission, helper=cast.helper)
    mission.refresh_from_db()
    assert mission.door_code == ""


def test_the_code_ends_with_the_mission_cancelled(cast):
    mission = mission_accept(mission=published_mission(cast), helper=cast.helper)
    mission = missions.mission_cancel(mission=mission, by=cast.operator, reason="In hospital")
    mission.refresh_from_db()
    assert mission.door_code == ""
