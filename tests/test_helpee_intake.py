from solidair.people.models import Helpee, LocationSource
from tests.conftest import login

VALID = {
    "first_name": "Maria",
    "last_name": "Peeters",
    "language": "nl",
    "phone_1": "0470 12 34 56",
    "street": "Kerkstraat",
    "house_number": "4",
    "postcode": "1030",
    "city": "",
    "consent": "on",
}


def post(client, cast, **changes):
    login(client, cast.operator)
    data = {**VALID, **changes}
    return client.post("/helpees/new/", {k: v for k, v in data.items() if v is not None})


def test_a_new_helpee_is_stored_with_e164_numbers_and_postcode_coordinates(client, cast):
    response = post(client, cast, phone_2="02 555 98 76")
    helpee = Helpee.objects.get(first_name="Maria")
    assert response.status_code == 302
    assert [p.number for p in helpee.phones.all()] == ["+32470123456", "+3225559876"]
    assert [p.kind for p in helpee.phones.all()] == ["mobile", "landline"]
    assert helpee.city == "Schaerbeek"
    assert abs(helpee.latitude - 50.867) < 0.01
    assert helpee.location_source == LocationSource.POSTCODE
    assert helpee.consent_recorded_by == cast.operator
    assert helpee.consent_text_version == "2026-11"


def test_the_helpee_page_shows_numbers_in_national_format(client, cast):
    post(client, cast)
    helpee = Helpee.objects.get(first_name="Maria")
    assert "0470 12 34 56" in client.get(f"/helpees/{helpee.pk}/").content.decode()


def test_an_unparseable_phone_number_is_refused_and_nothing_typed_is_lost(client, cast):
    page = post(client, cast, phone_1="call me maybe").content.decode()
    assert "is not a phone number we can read" in page
    assert 'value="Kerkstraat"' in page and 'value="call me maybe"' in page
    assert not Helpee.objects.filter(first_name="Maria").exists()


def test_a_number_with_missing_digits_is_refused(client, cast):
    page = post(client, cast, phone_1="0470 12 34").content.decode()
    assert "is not a valid phone number" in page


def test_a_number_from_another_country_is_refused(client, cast):
    page = post(client, cast, phone_1="+1 202 555 0143").content.decode()
    assert "is a foreign number" in page


def test_an_unknown_postcode_suggests_the_nearest(client, cast):
    page = post(client, cast, postcode="1001").content.decode()
    assert "We do not know the postcode “1001”" in page
    assert "1000 Bruxelles" in page
    assert 'value="1001"' in page
    assert not Helpee.objects.filter(first_name="Maria").exists()


def test_an_unknown_postcode_is_accepted_with_coordinates_set_by_hand(client, cast):
    post(client, cast, postcode="1001", manual_latitude="50.85", manual_longitude="4.35")
    helpee = Helpee.objects.get(first_name="Maria")
    assert (helpee.latitude, helpee.longitude) == (50.85, 4.35)
    assert helpee.location_source == LocationSource.MANUAL


def test_a_helpee_without_consent_cannot_be_saved_and_nothing_typed_is_lost(client, cast):
    page = post(client, cast, consent=None).content.decode()
    assert "consent is required" in page
    assert 'value="Maria"' in page and 'value="0470 12 34 56"' in page
    assert not Helpee.objects.filter(first_name="Maria").exists()


def test_the_consent_text_is_shown_in_the_helpee_s_language(client, cast):
    page = post(client, cast, consent=None, language="nl").content.decode()
    assert 'lang="nl"' in page


def test_an_operator_of_another_organisation_cannot_see_the_new_helpee(client, cast):
    post(client, cast)
    helpee = Helpee.objects.get(first_name="Maria")
    login(client, cast.outsider)
    assert client.get(f"/helpees/{helpee.pk}/").status_code == 404
