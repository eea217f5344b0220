from datetime import timedelta

from django.utils import timezone, translation

from solidair.matching.models import Dispatch, DispatchPolicy, HelperSpot, Offer, OfferStatus
from solidair.matching.services import (
    dispatch_overdue,
    dispatch_wave,
    mission_spot_sync,
    offer_decline,
)
from solidair.missions.models import State
from solidair.missions.services import mission_assign
from solidair.notifications.models import Message
from tests.matching.conftest import helper_at, phone_theme, published_mission


def offered(mission, wave=None):
    offers = Offer.objects.filter(mission=mission)
    if wave is not None:
        offers = offers.filter(wave=wave)
    return set(offers.values_list("helper__user__first_name", flat=True))


def policy(cast, **fields):
    return DispatchPolicy.objects.create(organisation=cast.organisation, **fields)


def test_the_first_wave_offers_the_mission_to_the_nearest_few(cast):
    policy(cast, wave_size=2)
    for name, km in [("Ann", 0.2), ("Bob", 0.4), ("Cid", 0.6)]:
        helper_at(cast, name.lower(), km_north=km)
    mission = published_mission(cast)
    assert dispatch_wave(mission_id=mission.pk) == 2
    assert offered(mission) == {"Ann", "Bob"}
    message = Message.objects.get(idempotency_key=f"offer:{Offer.objects.first().pk}")
    assert "A mission near you: Groceries, 1 km" in message.body


def test_the_next_wave_waits_then_widens_to_others(cast):
    policy(cast, wave_size=1, wait_minutes=10, first_radius_km=1)
    helper_at(cast, "near", km_north=0.5)
    helper_at(cast, "further", km_north=1.5)
    mission = published_mission(cast)
    now = timezone.now()
    dispatch_wave(mission_id=mission.pk, now=now)
    assert dispatch_wave(mission_id=mission.pk, now=now + timedelta(minutes=5)) == 0
    assert offered(mission) == {"Near"}
    # Wave 2 reaches 2 km: the helper at 1.5 km, out of the first wave's 1 km.
    assert dispatch_wave(mission_id=mission.pk, now=now + timedelta(minutes=11)) == 1
    assert offered(mission, wave=2) == {"Further"}


def test_a_helper_alerted_up_to_the_cap_today_is_skipped(cast):
    policy(cast, wave_size=1, alerts_per_day=2)
    tired = helper_at(cast, "tired", km_north=0.1)
    fresh = helper_at(cast, "fresh", km_north=2)
    HelperSpot.objects.filter(helper=tired).update(alerts_day=timezone.localdate(), alerts_today=2)
    mission = published_mission(cast)
    dispatch_wave(mission_id=mission.pk)
    assert set(Offer.objects.values_list("helper", flat=True)) == {fresh.pk}
    assert HelperSpot.objects.get(helper=fresh).alerts_today == 1


def test_a_helper_who_reached_the_cap_after_the_ranking_is_not_alerted(cast, monkeypatch):
    """Two missions' waves at once: both ranked the helper under the cap; the one whose
    alert comes second finds the cap reached and sends nothing."""
    from solidair.matching import services

    policy(cast, wave_size=1, alerts_per_day=2)
    tired = helper_at(cast, "tired", km_north=0.1)
    mission = published_mission(cast)
    ranked = services.rank_target
    monkeypatch.setattr(
        services,
        "rank_target",
        lambda *args, **kwargs: (
            HelperSpot.objects.filter(helper=tired).update(
                alerts_day=timezone.localdate(), alerts_today=2
            ),
            ranked(*args, **{**kwargs, "alert_cap": 99}),
        )[1],
    )
    assert dispatch_wave(mission_id=mission.pk) == 0
    assert not Offer.objects.exists()
    assert HelperSpot.objects.get(helper=tired).alerts_today == 2


def test_alerts_rotate_between_nearby_helpers(cast):
    policy(cast, wave_size=1, alerts_per_day=1)
    helper_at(cast, "first", km_north=0.1)
    helper_at(cast, "second", km_north=0.3)
    one, two = published_mission(cast), published_mission(cast)
    dispatch_wave(mission_id=one.pk)
    dispatch_wave(mission_id=two.pk)
    assert (offered(one), offered(two)) == ({"First"}, {"Second"})


def test_waves_stop_once_the_mission_is_assigned(cast):
    policy(cast, wave_size=1)
    taker = helper_at(cast, "taker", km_north=0.1)
    helper_at(cast, "other", km_north=0.3)
    mission = published_mission(cast)
    now = timezone.now()
    dispatch_wave(mission_id=mission.pk, now=now)
    mission_assign(mission=mission, helper=taker, by=taker.user)
    mission_spot_sync(mission=mission)
    assert dispatch_wave(mission_id=mission.pk, now=now + timedelta(hours=1)) == 0
    assert offered(mission) == {"Taker"}
    assert Offer.objects.get().status == OfferStatus.ACCEPTED
    assert Dispatch.objects.get().finished_at is not None


def test_after_the_last_wave_the_mission_is_unmatched(cast):
    policy(cast, wave_size=1, waves=2, first_radius_km=5)
    helper_at(cast, "one", km_north=0.1)
    helper_at(cast, "two", km_north=0.2)
    mission = published_mission(cast)
    now = timezone.now()
    with translation.override("en"):  # the reason is written in the job's language
        dispatch_wave(mission_id=mission.pk, now=now)
        dispatch_wave(mission_id=mission.pk, now=now + timedelta(minutes=11))
        dispatch_wave(mission_id=mission.pk, now=now + timedelta(minutes=22))
    mission.refresh_from_db()
    assert mission.state == State.UNMATCHED
    assert "Aucun bénévole n’a accepté après 2 vagues" in mission.events.last().reason
    assert set(Offer.objects.values_list("status", flat=True)) == {OfferStatus.EXPIRED}


def test_a_mission_no_helper_can_reach_becomes_unmatched(cast):
    from django.utils import translation

    helper_at(cast, "faraway", km_north=40, radius_km=20)
    mission = published_mission(cast)
    with translation.override("de"):  # whatever the worker speaks
        assert dispatch_wave(mission_id=mission.pk) == 0
    mission.refresh_from_db()
    assert mission.state == State.UNMATCHED
    assert not Offer.objects.exists()
    # The history says why in the organisation's language, for its staff.
    assert cast.organisation.languages[0] == "fr"
    assert mission.events.last().reason == (
        "Aucun bénévole disponible ne peut se rendre à cette mission."
    )


def test_a_helper_with_no_availability_gets_nothing(cast):
    helper_at(cast, "never", availability={}, available_now=False)
    asap = published_mission(cast, day=None, time_from=None, time_to=None)
    planned = published_mission(cast)
    dispatch_wave(mission_id=asap.pk)
    dispatch_wave(mission_id=planned.pk)
    assert not Offer.objects.exists()


def test_not_for_me_is_recorded_and_the_helper_is_not_asked_again(cast):
    policy(cast, wave_size=1)
    helper = helper_at(cast, "picky", km_north=0.1)
    mission = published_mission(cast)
    now = timezone.now()
    dispatch_wave(mission_id=mission.pk, now=now)
    offer = offer_decline(offer=Offer.objects.get(), helper=helper)
    assert offer.status == OfferStatus.DECLINED
    dispatch_wave(mission_id=mission.pk, now=now + timedelta(minutes=11))
    assert Offer.objects.count() == 1


def test_the_safety_net_dispatches_published_missions_without_waves(cast):
    helper_at(cast, "near", km_north=0.1)
    mission = published_mission(cast)
    Dispatch.objects.all().delete()
    assert dispatch_overdue() == 1
    assert offered(mission) == {"Near"}
    assert dispatch_overdue() == 0  # the next wave is not due yet


def test_after_the_last_wave_the_operators_see_it_in_trouble(cast, client):
    helper_at(cast, "faraway", km_north=40, radius_km=20)
    mission = published_mission(cast)
    with translation.override("en"):
        dispatch_wave(mission_id=mission.pk)
    client.force_login(cast.operator)
    text = client.get("/trouble/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"/missions/{mission.pk}/" in text


def test_a_phone_mission_is_offered_first_to_helpers_idle_for_two_weeks(cast):
    policy(cast, wave_size=1)
    phone = phone_theme()
    busy = helper_at(cast, "busy", km_north=0.1, themes=[phone])
    idle = helper_at(cast, "idle", km_north=90, themes=[phone])
    HelperSpot.objects.filter(helper=busy).update(last_assigned_at=timezone.now())
    HelperSpot.objects.filter(helper=idle).update(
        last_assigned_at=None, joined_at=timezone.now() - timedelta(days=20)
    )
    mission = published_mission(cast, theme=phone)
    assert dispatch_wave(mission_id=mission.pk) == 1
    assert offered(mission) == {"Idle"}  # 90 km away: help by phone needs no proximity
    message = Message.objects.get(idempotency_key=f"offer:{Offer.objects.get().pk}")
    assert "Someone would like a call" in message.body
