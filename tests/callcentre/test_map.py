from tests.conftest import login


def test_the_operator_places_the_door_by_hand_with_no_tiles(client, cast, settings):
    settings.MAP_TILES_URL = ""
    login(client, cast.operator)
    page = client.get(f"/helpees/{cast.helpee.pk}/place/").content.decode()
    assert "/static/leaflet/leaflet.js" in page and 'data-tiles=""' in page
    client.post(f"/helpees/{cast.helpee.pk}/place/", {"latitude": "50.8231", "longitude": "4.3702"})
    cast.helpee.refresh_from_db()
    assert (cast.helpee.latitude, cast.helpee.longitude) == (50.8231, 4.3702)
    assert cast.helpee.location_source == "manual"


def test_a_place_outside_the_country_is_refused(client, cast):
    login(client, cast.operator)
    page = client.post(
        f"/helpees/{cast.helpee.pk}/place/", {"latitude": "0", "longitude": "4.37"}
    ).content.decode()
    assert "greater than or equal to 45" in page


def test_leaflet_is_served_by_the_app(client, db):
    response = client.get("/static/leaflet/leaflet.js")
    assert response.status_code == 200
