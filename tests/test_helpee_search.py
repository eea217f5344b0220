import pytest

from tests.conftest import login, make_helpee


@pytest.mark.parametrize("typed", ["0470 12 34 56", "+32470123456", "0032 470 12 34 56"])
def test_one_number_whatever_its_format(client, cast, typed):
    make_helpee(cast.organisation, cast.operator, first_name="Louise", phone="+32470123456")
    login(client, cast.operator)
    assert "Louise Dupont" in client.get("/helpees/", {"q": typed}).content.decode()


def test_by_name_and_by_postcode(client, cast):
    login(client, cast.operator)
    assert "Jeanne Dupont" in client.get("/helpees/", {"q": "jeanne"}).content.decode()
    assert "Jeanne Dupont" in client.get("/helpees/", {"q": "1050"}).content.decode()
    assert "Nobody matches" in client.get("/helpees/", {"q": "Zorro"}).content.decode()


def test_the_live_search_answers_htmx_with_the_results_only(client, cast):
    login(client, cast.operator)
    response = client.get("/helpees/", {"q": "Jeanne"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "Jeanne Dupont" in page and "<html" not in page


def test_the_search_list_does_not_log_a_view_of_contact_details(client, cast):
    login(client, cast.operator)
    client.get("/helpees/", {"q": "Jeanne"})
    assert not cast.helpee.access_log.exists()
