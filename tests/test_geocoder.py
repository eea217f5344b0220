import io
import json

from solidair.places import geocoder


def test_the_street_geocoder_is_off_by_default(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the geocoder must not be called")

    monkeypatch.setattr(geocoder.urllib.request, "urlopen", refuse)
    assert not geocoder.is_enabled()
    assert (
        geocoder.geocode(
            street="Rue Haute", house_number="1", postcode="1000", city="", country="BE"
        )
        is None
    )


def test_a_nominatim_compatible_answer_is_read(settings, monkeypatch):
    settings.GEOCODER_URL = "https://geocoder.example/search"
    asked = []

    def answer(request, timeout):
        asked.append(request.full_url)
        return io.BytesIO(json.dumps([{"lat": "50.84", "lon": "4.35"}]).encode())

    monkeypatch.setattr(geocoder.urllib.request, "urlopen", answer)
    found = geocoder.geocode(
        street="Rue Haute", house_number="10", postcode="1000", city="", country="BE"
    )
    assert found == geocoder.StreetLocation(50.84, 4.35)
    assert "street=10+Rue+Haute" in asked[0] and "countrycodes=be" in asked[0]


def test_a_geocoder_that_does_not_answer_falls_back_to_none(settings, monkeypatch):
    settings.GEOCODER_URL = "https://geocoder.example/search"

    def fail(request, timeout):
        raise TimeoutError

    monkeypatch.setattr(geocoder.urllib.request, "urlopen", fail)
    assert (
        geocoder.geocode(street="X", house_number="", postcode="1000", city="", country="BE")
        is None
    )
