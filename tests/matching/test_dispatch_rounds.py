"""A mission given back ("I can't make it") starts a new round of waves, which may ask
earlier helpers again: never the helper who gave it back, nor those who said "not for
me"; the daily alert cap and the rotation still apply."""

from datetime import timedelta

from django.utils import timezone

from solidair.helpers.selectors import feed_cards
from solidair.helpers.services import mission_accept, mission_dismiss, mission_give_back
from solidair.matching.models import Dispatch, DispatchPolicy, HelperSpot, Offer, OfferStatus
from solidair.matching.services import dispatch_wave
from solidair.missions.models import State
from solidair.missions.services import mission_publish, mission_report_no_show
from solidair.notifications.models import Message
from tests.matching.conftest import helper_at, published_mission


def offered(mission, round_=None):
    offers = Offer.objects.filter(mission=mission).exclude(wave=0)
    if round_ is not None:
        offers = offers.filter(round=round_)
    return set(offers.values_list("helper__user__first_name", flat=True))


def policy(cast, **fields):
    return DispatchPolicy.objects.create(organisation=cast.organisation, **fields)


def test_a_given_back_mission_is_offered_again_to_earlier_helpers_but_not_the_giver(
    cast, django_capture_on_commit_callbacks
):
    policy(cast, wave_size=3)
    ann = helper_at(cast, "ann", km_north=0.1)
    helper_at(cast, "bob", km_north=0.2)
    helper_at(cast, "cid", km_north=0.3)
    with django_capture_on_commit_callbacks(execute=True):  # the jobs run, as on commit
        mission = published_mission(cast)
    assert offered(mission, 1) == {"Ann", "Bob", "Cid"}
    mission = mission_accept(mission=mission, helper=ann)
    with django_capture_on_commit_callbacks(execute=True):
        mission_give_back(mission=mission, helper=ann, reason="My car broke down")

    mission.refresh_from_db()
    assert mission.state == State.PUBLISHED
    assert offered(mission, 2) == {"Bob", "Cid"}
    assert Dispatch.objects.get(mission=mission).round == 2
    assert Offer.objects.get(mission=mission, helper=ann).status == OfferStatus.RELEASED
    assert set(Offer.objects.filter(mission=mission, round=2).values_list("status", flat=True)) == {
        OfferStatus.PENDING
    }
    # Each is told again: a new message, not the first one's.
    bob_offers = Offer.objects.filter(mission=mission, helper__user__first_name="Bob")
    keys = {f"offer:{offer.pk}" for offer in bob_offers}
    assert Message.objects.filter(idempotency_key__in=keys).count() == 2


def test_a_helper_who_took_it_from_the_feed_and_gave_it_back_is_not_asked_again(cast):
    policy(cast, wave_size=1, first_radius_km=1)
    helper_at(cast, "near", km_north=0.1)
    far = helper_at(cast, "far", km_north=3)  # beyond the first wave: not offered yet
    mission = published_mission(cast)
    mission = mission_accept(mission=mission, helper=far)
    mission_give_back(mission=mission, helper=far, reason="Too far after all")
    now = timezone.now()
    for minutes in (0, 11, 22, 33):
        dispatch_wave(mission_id=mission.pk, now=now + timedelta(minutes=minutes))
    assert offered(mission, 2) == {"Near"}
    assert Offer.objects.get(mission=mission, helper=far).status == OfferStatus.RELEASED


def test_those_who_said_not_for_me_are_not_asked_again(cast):
    policy(cast, wave_size=3)
    taker = helper_at(cast, "taker", km_north=0.1)
    picky = helper_at(cast, "picky", km_north=0.2)
    helper_at(cast, "willing", km_north=0.3)
    mission = published_mission(cast)
    dispatch_wave(mission_id=mission.pk)
    mission_dismiss(mission=mission, helper=picky)
    mission = mission_accept(mission=mission, helper=taker)
    mission_give_back(mission=mission, helper=taker, reason="Ill")
    dispatch_wave(mission_id=mission.pk)
    assert offered(mission, 2) == {"Willing"}


def test_the_daily_alert_cap_still_applies_in_the_new_round(cast):
    policy(cast, wave_size=3, alerts_per_day=1, waves=1)
    taker = helper_at(cast, "taker", km_north=0.1)
    helper_at(cast, "tired", km_north=0.2)  # alerted once today, by round 1
    mission = published_mission(cast)
    dispatch_wave(mission_id=mission.pk)
    mission = mission_accept(mission=mission, helper=taker)
    mission_give_back(mission=mission, helper=taker, reason="Ill")
    dispatch_wave(mission_id=mission.pk)
    mission.refresh_from_db()
    assert offered(mission, 2) == set()
    assert mission.state == State.UNMATCHED  # nobody left today: the operators see it
    assert HelperSpot.objects.get(helper__user__first_name="Tired").alerts_today == 1


def test_the_new_round_rotates_towards_helpers_alerted_less_today(cast):
    policy(cast, wave_size=1)
    taker = helper_at(cast, "taker", km_north=0.1)
    helper_at(cast, "often", km_north=0.2)
    helper_at(cast, "seldom", km_north=0.25)
    HelperSpot.objects.filter(helper__user__first_name="Often").update(
        alerts_day=timezone.localdate(), alerts_today=3
    )
    mission = published_mission(cast)
    dispatch_wave(mission_id=mission.pk)
    assert offered(mission, 1) == {"Taker"}
    mission = mission_accept(mission=mission, helper=taker)
    mission_give_back(mission=mission, helper=taker, reason="Ill")
    dispatch_wave(mission_id=mission.pk)
    assert offered(mission, 2) == {"Seldom"}


def test_a_helper_who_did_not_come_is_not_asked_again(cast):
    policy(cast, wave_size=2)
    absent = helper_at(cast, "absent", km_north=0.1)
    helper_at(cast, "other", km_north=0.2)
    mission = published_mission(cast)
    dispatch_wave(mission_id=mission.pk)
    mission = mission_accept(mission=mission, helper=absent)
    mission_report_no_show(mission=mission, by=cast.operator, reason="Nobody came")
    dispatch_wave(mission_id=mission.pk)
    assert offered(mission, 2) == {"Other"}


def test_a_wave_job_of_the_earlier_round_sends_nothing_twice(cast):
    policy(cast, wave_size=3)
    taker = helper_at(cast, "taker", km_north=0.1)
    helper_at(cast, "other", km_north=0.2)
    mission = published_mission(cast)
    dispatch_wave(mission_id=mission.pk)
    mission = mission_accept(mission=mission, helper=taker)
    mission_give_back(mission=mission, helper=taker, reason="Ill")
    assert dispatch_wave(mission_id=mission.pk) == 1
    assert dispatch_wave(mission_id=mission.pk) == 0  # the same job run twice
    assert Offer.objects.filter(mission=mission, round=2).count() == 1


def test_the_card_comes_back_to_every_feed_but_the_giver_s(cast):
    taker = helper_at(cast, "taker", km_north=0.1)
    other = helper_at(cast, "other", km_north=0.2)
    mission = published_mission(cast)
    mission = mission_accept(mission=mission, helper=taker)
    mission_give_back(mission=mission, helper=taker, reason="Ill")
    assert [card.mission_id for card in feed_cards(other)] == [mission.pk]
    assert feed_cards(taker) == []


def test_an_unmatched_mission_published_again_asks_everyone_again(cast):
    policy(cast, wave_size=1, waves=1)
    helper_at(cast, "silent", km_north=0.1)
    mission = published_mission(cast)
    now = timezone.now()
    dispatch_wave(mission_id=mission.pk, now=now)
    dispatch_wave(mission_id=mission.pk, now=now + timedelta(minutes=11))
    mission.refresh_from_db()
    assert mission.state == State.UNMATCHED
    mission_publish(mission=mission, by=cast.coordinator, reason="Let's try again")
    dispatch_wave(mission_id=mission.pk)
    assert offered(mission, 2) == {"Silent"}
