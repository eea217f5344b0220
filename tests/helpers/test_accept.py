"""Accepting a mission: exactly one helper, clear refusals, then the helpee's details."""

from solidair.missions import services as missions
from solidair.missions.models import State
from solidair.people.models import AccessLog
from tests.conftest import login, make_helper
from tests.helpers.conftest import published_mission


def accept(client, mission, **kwargs):
    return client.post(f"/helpers/missions/{mission.pk}/accept/", follow=True, **kwargs)


def test_accepting_gives_the_mission_and_only_then_the_address(client, cast):
    mission = published_mission(cast)
    login(client, cast.helper.user)
    assert "Bailli" not in client.get("/helpers/feed/").content.decode()
    response = accept(client, mission)
    text = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/helpers/missions/{mission.pk}/"
    mission.refresh_from_db()
    assert mission.state == State.ASSIGNED and mission.helper == cast.helper
    assert "Jeanne Dupont" in text and "Rue du Bailli 12, 1050 Ixelles" in text
    assert "02 555 12 34" in text and "Ring twice" in text
    assert f'id="door-code">{mission.door_code}<' in text


def test_each_view_of_the_mission_page_is_logged(client, cast):
    mission = published_mission(cast)
    login(client, cast.helper.user)
    accept(client, mission)
    client.get(f"/helpers/missions/{mission.pk}/")
    entries = AccessLog.objects.filter(helpee=cast.helpee, user=cast.helper.user)
    assert entries.count() == 2
    assert {e.page for e in entries} == {f"/helpers/missions/{mission.pk}/"}


def test_the_mission_page_is_404_for_anyone_but_the_assigned_helper(client, cast):
    mission = published_mission(cast)
    login(client, cast.helper.user)
    assert client.get(f"/helpers/missions/{mission.pk}/").status_code == 404  # not yet
    missions.mission_assign(mission=mission, helper=cast.helper, by=cast.helper.user)
    for user in (cast.other_helper.user, cast.outsider):
        other = login(type(client)(HTTP_ACCEPT_LANGUAGE="en"), user)
        assert other.get(f"/helpers/missions/{mission.pk}/").status_code in (403, 404)
    assert not AccessLog.objects.filter(helpee=cast.helpee).exclude(user=cast.operator).exists()


def test_an_unverified_helper_calling_the_accept_url_is_refused(client, cast):
    mission = published_mission(cast)
    newcomer = make_helper(cast.organisation, "newcomer", verified=False)
    login(client, newcomer.user)
    response = accept(client, mission)
    assert response.status_code == 200
    assert "Your identity has not been checked yet" in response.content.decode()
    mission.refresh_from_db()
    assert mission.state == State.PUBLISHED and mission.helper is None


def test_a_mission_already_assigned_is_refused_another_helper_was_faster(client, cast):
    mission = published_mission(cast)
    missions.mission_assign(mission=mission, helper=cast.other_helper, by=cast.other_helper.user)
    login(client, cast.helper.user)
    response = accept(client, mission)
    assert response.status_code == 200
    assert "Another helper was faster." in response.content.decode()
    mission.refresh_from_db()
    assert mission.helper == cast.other_helper


def test_a_cancelled_mission_is_refused(client, cast):
    mission = published_mission(cast)
    missions.mission_cancel(mission=mission, by=cast.operator, reason="The family came")
    login(client, cast.helper.user)
    response = accept(client, mission)
    assert "This mission was cancelled: it can no longer be taken." in response.content.decode()
    mission.refresh_from_db()
    assert mission.state == State.CANCELLED and mission.helper is None


def test_a_mission_of_another_organisation_is_not_found(client, cast):
    mission = published_mission(cast)
    stranger = make_helper(cast.elsewhere, "stranger")
    login(client, stranger.user)
    assert client.post(f"/helpers/missions/{mission.pk}/accept/").status_code == 404


def test_accepting_needs_a_post(client, cast):
    mission = published_mission(cast)
    login(client, cast.helper.user)
    assert client.get(f"/helpers/missions/{mission.pk}/accept/").status_code == 405
