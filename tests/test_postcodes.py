import pytest

from solidair.places import postcodes

pytestmark = pytest.mark.django_db


def test_every_belgian_and_swiss_postcode_is_known_offline():
    assert len(postcodes.known_codes("BE")) > 1100
    assert len(postcodes.known_codes("CH")) > 3000


@pytest.mark.parametrize(
    ("country", "code", "latitude", "longitude"),
    [("BE", "1000", 50.85, 4.35), ("BE", "9000", 51.05, 3.72), ("CH", "8001", 47.37, 8.54)],
)
def test_a_postcode_gives_its_coordinates(country, code, latitude, longitude):
    place = postcodes.locate(country, code)
    assert place is not None
    assert abs(place.latitude - latitude) < 0.05 and abs(place.longitude - longitude) < 0.05


def test_spaces_and_prefixes_are_forgiven():
    assert postcodes.locate("BE", " B-1050 ").postcode == "1050"


def test_an_unknown_postcode_suggests_the_closest_codes():
    assert postcodes.locate("BE", "1001") is None
    assert [p.postcode for p in postcodes.nearest_codes("BE", "1001")][:2] == ["1000", "1020"]


def test_distance_between_brussels_and_antwerp():
    brussels, antwerp = postcodes.locate("BE", "1000"), postcodes.locate("BE", "2000")
    km = postcodes.distance_km(
        brussels.latitude, brussels.longitude, antwerp.latitude, antwerp.longitude
    )
    assert 40 < km < 45
