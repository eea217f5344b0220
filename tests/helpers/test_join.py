"""A volunteer signs up at /helpers/join/."""

import pytest
from django.conf import settings
from django.utils import translation

from solidair.people.models import Helper, RoleKind, Verification

URL = "/helpers/join/"


def form(cast, **changes):
    data = {
        "first_name": "Lotte",
        "last_name": "Janssens",
        "email": "lotte@example.org",
        "password": "kanaal-fiets-2020",
        "phone": "0470 11 22 33",
        "street": "Kerkstraat",
        "house_number": "4",
        "postcode": "1050",
        "city": "",
        "radius_km": "3",
        "availability": ["mon:morning", "sat:afternoon"],
        "languages": ["nl", "fr"],
        "themes": [str(cast.groceries.pk)],
        "transport": "bike",
        "dogs_ok": "on",
        "max_missions_per_week": "2",
        "conduct": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_a_volunteer_joins_logs_in_and_waits_for_the_identity_check(client, cast):
    response = client.post(URL, form(cast), HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 302 and response["Location"] == "/helpers/identity/"
    helper = Helper.objects.get(user__email="lotte@example.org")
    assert helper.verification == Verification.PENDING
    assert helper.organisation == cast.organisation  # 1050 is Belgian, not Swiss
    assert helper.user.roles.get().kind == RoleKind.HELPER
    assert helper.availability == {"mon": ["morning"], "sat": ["afternoon"]}
    assert (helper.street, helper.postcode, helper.city) == ("Kerkstraat", "1050", "Ixelles")
    assert round(helper.latitude, 1) == 50.8 and helper.radius_km == 3
    assert helper.user.phone == "+32470112233" and helper.user.language == "nl"
    assert helper.languages == ["fr", "nl"] and list(helper.themes.all()) == [cast.groceries]
    assert helper.dogs_ok and helper.transport == "bike" and helper.conduct_accepted_at
    assert helper.user.check_password("kanaal-fiets-2020")
    assert client.get("/helpers/identity/").status_code == 200  # logged in


def test_the_helper_is_placed_at_their_street_when_the_geocoder_finds_it(client, cast, monkeypatch):
    from solidair.places import geocoder

    asked = []

    def geocode(**address):
        asked.append(address)
        return geocoder.StreetLocation(50.8275, 4.3721)

    monkeypatch.setattr(geocoder, "geocode", geocode)
    client.post(URL, form(cast))
    helper = Helper.objects.get(user__email="lotte@example.org")
    assert (helper.latitude, helper.longitude) == (50.8275, 4.3721)
    assert asked == [
        {
            "street": "Kerkstraat",
            "house_number": "4",
            "postcode": "1050",
            "city": "Ixelles",
            "country": "BE",
        }
    ]


def test_without_a_geocoder_the_helper_is_placed_at_their_postcode(client, cast):
    from solidair.places.postcodes import locate

    client.post(URL, form(cast))
    helper = Helper.objects.get(user__email="lotte@example.org")
    centre = locate("BE", "1050")
    assert (helper.latitude, helper.longitude) == (centre.latitude, centre.longitude)


def test_the_account_logs_in_by_email_with_allauth(client, cast):
    client.post(URL, form(cast))
    client.logout()
    client.cookies[settings.CSRF_COOKIE_NAME] = client.token  # logging out dropped it
    response = client.post(
        "/accounts/login/", {"login": "lotte@example.org", "password": "kanaal-fiets-2020"}
    )
    assert response.status_code == 302


def test_an_unknown_postcode_is_told_with_the_nearest_codes_and_nothing_is_lost(client, cast):
    response = client.post(URL, form(cast, postcode="1051"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "We do not know the postcode “1051”. Did you mean 1050" in text
    assert 'value="Kerkstraat"' in text and 'value="lotte@example.org"' in text
    assert 'value="kanaal-fiets-2020"' in text  # the password too
    assert 'id="id_availability_mon_morning" checked' in text
    assert not Helper.objects.filter(user__email="lotte@example.org").exists()


def test_a_helper_with_no_availability_at_all_is_told_clearly(client, cast):
    response = client.post(URL, form(cast, availability=None))
    text = response.content.decode()
    assert "Tell us when you can help: tick at least one part of a day" in text
    assert 'value="Janssens"' in text
    assert not Helper.objects.filter(user__email="lotte@example.org").exists()


def test_available_now_alone_is_enough(client, cast):
    client.post(URL, form(cast, availability=None, available_now="on"))
    helper = Helper.objects.get(user__email="lotte@example.org")
    assert helper.available_now and helper.availability == {}


def test_a_landline_is_refused_as_the_mobile_number(client, cast):
    response = client.post(URL, form(cast, phone="02 555 12 34"))
    assert "“02 555 12 34” is not a mobile number" in response.content.decode()
    assert not Helper.objects.exists() or not Helper.objects.filter(user__email="lotte@example.org")


def test_a_known_email_is_told_to_log_in(client, cast):
    response = client.post(URL, form(cast, email=cast.helper.user.email))
    assert "There is already an account with this email address" in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"radius_km": "25"}, "Ensure this value is less than or equal to 20."),
        ({"conduct": None}, "Please read and accept the code of conduct to join."),
        ({"languages": None}, "Tick at least one language you speak."),
        ({"password": "12345678"}, "This password is entirely numeric."),
    ],
)
def test_other_bad_input_is_explained(client, cast, changes, message):
    response = client.post(URL, form(cast, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()


def test_the_sign_up_page_speaks_dutch(client, cast):
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    assert '<html lang="nl">' in response.content.decode()
