"""The feed: published missions near the helper, never who or where exactly."""

import datetime

from solidair.helpers.models import Dismissal
from solidair.helpers.selectors import feed_cards
from solidair.matching.services import helper_spot_sync
from solidair.missions import services as missions
from solidair.missions.models import Theme
from tests.conftest import login, make_helpee, make_helper
from tests.helpers.conftest import published_mission

URL = "/helpers/feed/"


def card_ids(helper):
    return [card.mission_id for card in feed_cards(helper)]


def test_a_nearby_mission_shows_theme_area_distance_and_when(client, cast):
    mission = published_mission(cast, details="Bread, milk and coffee for the week")
    login(client, cast.helper.user)
    text = client.get(URL).content.decode()
    assert f'id="mission-{mission.pk}"' in text
    assert "1050 Ixelles" in text and "about 1 km away" in text
    assert "As soon as possible" in text and "Bread, milk and coffee" in text


def test_the_feed_never_shows_the_helpee_s_name_address_or_phone(client, cast):
    published_mission(cast, details="Groceries")
    login(client, cast.helper.user)
    for url in (URL, "/helpers/feed/live/"):
        text = client.get(url).content.decode()
        assert "mission-" in text
        for secret in ("Jeanne", "Dupont", "Bailli", "555 12 34", "+3225551234", "Ring twice"):
            assert secret not in text, (url, secret)


def test_a_mission_beyond_the_helper_s_distance_is_not_shown(cast):
    far = make_helpee(cast.organisation, cast.operator, first_name="Far", postcode="1000")
    far.latitude, far.longitude = 51.2194, 4.4025  # Antwerp
    far.save()
    published_mission(cast, helpee=far)
    near = published_mission(cast)
    assert card_ids(cast.helper) == [near.pk]


def test_a_phone_theme_reaches_helpers_anywhere(cast):
    phone = Theme.objects.create(
        key="call",
        name_fr="Appel",
        name_nl="Telefoon",
        name_en="Phone chat",
        name_de="Anruf",
        needs_proximity=False,
        detail_form="phone",
    )
    far = make_helpee(cast.organisation, cast.operator, first_name="Far")
    far.latitude, far.longitude = 51.2194, 4.4025
    far.save()
    mission = published_mission(cast, helpee=far, theme=phone, call_times="Evenings")
    cast.helper.themes.add(phone)
    helper_spot_sync(helper=cast.helper)  # as the profile page does after a change
    [card] = feed_cards(cast.helper)
    assert card.mission_id == mission.pk and card.distance_km is None


def test_the_feed_follows_the_helper_s_themes_and_languages(cast):
    mission = published_mission(cast)
    other = Theme.objects.create(
        key="dogs", name_fr="Chien", name_nl="Hond", name_en="Dog", name_de="Hund"
    )
    cast.helper.themes.set([other])
    helper_spot_sync(helper=cast.helper)
    assert card_ids(cast.helper) == []
    cast.helper.themes.set([cast.groceries])
    helper_spot_sync(helper=cast.helper)
    assert card_ids(cast.helper) == [mission.pk]
    cast.helper.languages = ["nl"]  # the helpee speaks French
    cast.helper.save()
    helper_spot_sync(helper=cast.helper)
    assert card_ids(cast.helper) == []


def test_soonest_first_then_nearest(cast):
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    later = published_mission(
        cast,
        timing="window",
        day=tomorrow,
        time_from=datetime.time(10),
        time_to=datetime.time(12),
    )
    closer = make_helpee(cast.organisation, cast.operator, first_name="Close")
    closer.latitude, closer.longitude = 50.8301, 4.3701
    closer.save()
    near_asap = published_mission(cast, helpee=closer)
    far_asap = published_mission(cast)
    assert card_ids(cast.helper) == [near_asap.pk, far_asap.pk, later.pk]


def test_not_for_me_hides_the_card_for_this_helper_only(client, cast):
    mission = published_mission(cast)
    login(client, cast.helper.user)
    response = client.post(f"/helpers/missions/{mission.pk}/dismiss/")
    assert response.status_code == 302
    assert Dismissal.objects.filter(helper=cast.helper, mission=mission).exists()
    assert card_ids(cast.helper) == [] and card_ids(cast.other_helper) == [mission.pk]


def test_the_live_part_changes_only_when_the_missions_change(client, cast):
    login(client, cast.helper.user)
    first = client.get("/helpers/feed/live/", HTTP_HX_REQUEST="true")
    text = first.content.decode()
    assert first.status_code == 200 and 'hx-trigger="every 4s"' in text
    seen = text.split("?seen=")[1].split('"')[0]
    assert client.get(f"/helpers/feed/live/?seen={seen}").status_code == 204
    mission = published_mission(cast)
    new = client.get(f"/helpers/feed/live/?seen={seen}", HTTP_HX_REQUEST="true")
    assert new.status_code == 200 and f'id="mission-{mission.pk}"' in new.content.decode()
    assert "1 mission near you" in new.content.decode()


def test_a_taken_mission_disappears_from_the_feed(cast):
    mission = published_mission(cast)
    missions.mission_assign(mission=mission, helper=cast.other_helper, by=cast.other_helper.user)
    assert card_ids(cast.helper) == []


def test_an_unverified_helper_sees_no_live_missions(client, cast):
    published_mission(cast)
    newcomer = make_helper(cast.organisation, "newcomer", verified=False)
    login(client, newcomer.user)
    assert client.get("/helpers/feed/live/").status_code == 204
    assert "mission-" not in client.get(URL).content.decode()
