from solidair.missions.services import mission_create
from tests.conftest import login


def test_an_operator_of_another_organisation_gets_404_on_the_helpee(client, cast):
    login(client, cast.outsider)
    assert client.get(f"/helpees/{cast.helpee.pk}/").status_code == 404


def test_an_operator_of_another_organisation_gets_404_on_the_mission(client, cast):
    mission = mission_create(helpee=cast.helpee, theme=cast.groceries, by=cast.operator)
    login(client, cast.outsider)
    assert client.get(f"/missions/{mission.pk}/").status_code == 404
    assert client.get(f"/missions/{mission.pk}/edit/").status_code == 404
    assert client.post(f"/missions/{mission.pk}/cancel/", {"reason": "x"}).status_code == 404


def test_lists_show_only_the_own_organisation(client, cast):
    mission_create(helpee=cast.helpee, theme=cast.groceries, by=cast.operator)
    login(client, cast.outsider)
    assert "Jeanne Dupont" not in client.get("/helpees/?q=Jeanne").content.decode()
    assert "Jeanne Dupont" not in client.get("/helpees/").content.decode()
    assert client.get("/missions/").context["missions"].count() == 0


def test_an_unassigned_helper_gets_404_on_a_mission(client, cast):
    mission = mission_create(helpee=cast.helpee, theme=cast.groceries, by=cast.operator)
    login(client, cast.helper.user)
    assert client.get(f"/missions/{mission.pk}/").status_code == 404


def test_a_helper_gets_403_on_the_operator_console(client, cast):
    login(client, cast.helper.user)
    assert client.get("/operator/").status_code == 403
    assert client.get("/helpees/").status_code == 403
