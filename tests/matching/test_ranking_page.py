from solidair.matching.services import helper_spot_sync
from solidair.people.models import RoleKind
from tests.conftest import login, make_user
from tests.matching.conftest import helper_at, published_mission


def test_staff_see_who_ranks_where_and_why(cast, client):
    helper_at(cast, "near", km_north=1)
    mission = published_mission(cast)
    response = login(client, cast.operator).get(f"/missions/{mission.pk}/ranking/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<th scope="row">Near' in page
    assert "1.0 km away" in page


def test_another_organisations_staff_get_a_404(cast, client):
    mission = published_mission(cast)
    assert login(client, cast.outsider).get(f"/missions/{mission.pk}/ranking/").status_code == 404


def test_a_helper_gets_a_404(cast, client):
    mission = published_mission(cast)
    helper_spot_sync(helper=cast.helper)
    assert (
        login(client, cast.helper.user).get(f"/missions/{mission.pk}/ranking/").status_code == 404
    )


def test_an_administrator_without_a_staff_role_here_gets_a_404(cast, client):
    admin = make_user(cast.elsewhere, "admin", RoleKind.ADMIN)
    mission = published_mission(cast)
    assert login(client, admin).get(f"/missions/{mission.pk}/ranking/").status_code == 404
