from dataclasses import asdict
from datetime import timedelta

from solidair.matching.selectors import feed_for
from solidair.matching.services import helper_spot_sync, mission_decline, mission_spot_sync
from solidair.missions.services import mission_cancel
from solidair.people.models import Verification
from tests.conftest import make_helpee
from tests.matching.conftest import KM, helper_at, next_monday, phone_theme, published_mission


def test_the_feed_shows_a_nearby_mission_without_the_helpees_personal_data(cast):
    helper = helper_at(cast, "near", km_north=1.2)
    mission = published_mission(cast)
    (card,) = feed_for(helper=helper)
    assert card.mission_id == mission.pk
    assert (card.postcode, card.locality, card.distance_km) == ("1050", "Ixelles", 1)
    shown = " ".join(str(value) for value in asdict(card).values())
    for secret in ("Jeanne", "Dupont", "Bailli", "5551234", "Ring twice"):
        assert secret not in shown


def test_the_feed_leaves_out_missions_beyond_the_helpers_reach(cast):
    helper = helper_at(cast, "homebody", km_north=3, radius_km=2)
    published_mission(cast)
    assert feed_for(helper=helper) == []


def test_the_feed_leaves_out_other_themes_and_languages(cast):
    helper = helper_at(cast, "walker", themes=[])
    published_mission(cast)
    assert feed_for(helper=helper) == []
    speaker = helper_at(cast, "dutch", languages=["nl"])
    assert feed_for(helper=speaker) == []


def test_help_by_phone_shows_at_any_distance(cast):
    phone = phone_theme()
    helper = helper_at(cast, "faraway", km_north=150, themes=[phone])
    mission = published_mission(cast, theme=phone)
    (card,) = feed_for(helper=helper)
    assert (card.mission_id, card.by_phone) == (mission.pk, True)


def test_soonest_first_then_nearest(cast):
    helper = helper_at(cast, "near", km_north=0)
    later_near = published_mission(cast, day=next_monday() + timedelta(days=1))
    other = make_helpee(cast.organisation, cast.operator, first_name="Paul", phone="+3225559999")
    other.latitude += 2 * KM
    other.save()
    soon_far = published_mission(cast, helpee=other)
    soon_near = published_mission(cast)
    assert [c.mission_id for c in feed_for(helper=helper)] == [
        soon_near.pk,
        soon_far.pk,
        later_near.pk,
    ]


def test_a_mission_gone_from_published_leaves_the_feed(cast):
    helper = helper_at(cast, "near")
    mission = published_mission(cast)
    mission_cancel(mission=mission, by=cast.operator, reason="No longer needed")
    mission_spot_sync(mission=mission)
    assert feed_for(helper=helper) == []


def test_not_for_me_takes_the_card_away(cast):
    helper = helper_at(cast, "near")
    mission = published_mission(cast)
    mission_decline(mission=mission, helper=helper)
    assert feed_for(helper=helper) == []


def test_an_unverified_helper_sees_no_missions(cast):
    helper = helper_at(cast, "pending", verification=Verification.PENDING)
    published_mission(cast)
    helper_spot_sync(helper=helper)
    assert feed_for(helper=helper) == []
