from solidair.callcentre.models import Callback, WebRequest
from solidair.missions.models import Mission, State
from solidair.people.models import Helpee

FORM = {
    "token": "token-1",
    "relation": "relative",
    "requester_name": "Julie Martin",
    "requester_phone": "0475 11 22 33",
    "first_name": "Simone",
    "last_name": "Martin",
    "language": "fr",
    "phone_1": "02 555 12 99",
    "street": "Rue Haute",
    "house_number": "5",
    "postcode": "1000",
    "details": "Courses pour la semaine, mardi matin",
    "contact": "call_requester",
    "consent": "on",
}


def send(client, cast, **changes):
    data = {**FORM, "theme": cast.groceries.pk, **changes}
    return client.post(
        f"/request/{cast.organisation.slug}/",
        {k: v for k, v in data.items() if v is not None},
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_a_relative_asks_for_help_and_it_waits_for_review(client, cast):
    response = send(client, cast)
    assert response.status_code == 302
    mission = Mission.objects.get(helpee__first_name="Simone")
    assert (mission.state, mission.source) == (State.PENDING_REVIEW, "web")
    assert mission.helpee.consent_recorded_by is None
    request = mission.web_request
    assert (request.requester_name, request.requester_phone) == ("Julie Martin", "+32475112233")
    assert Callback.objects.get(kind="web_request").phone == "+32475112233"


def test_the_same_form_submitted_twice_makes_one_mission(client, cast):
    send(client, cast)
    send(client, cast)
    assert Mission.objects.filter(helpee__first_name="Simone").count() == 1
    assert Helpee.objects.filter(first_name="Simone").count() == 1


def test_the_honeypot_stores_nothing(client, cast):
    response = send(client, cast, website="http://spam.example")
    assert response.status_code == 302
    assert not Helpee.objects.filter(first_name="Simone").exists()


def test_the_rate_limit_per_phone_number_is_friendly_and_keeps_the_form(client, cast):
    for n in range(3):
        send(client, cast, token=f"t{n}", first_name=f"Simone{n}")
    page = send(client, cast, token="t9", first_name="Simone9").content.decode()
    assert "We have already received several requests from you today" in page
    assert 'value="Simone9"' in page
    assert WebRequest.objects.count() == 3


def test_the_rate_limit_per_ip_address(client, cast):
    for n in range(5):
        send(client, cast, token=f"t{n}", phone_1=f"02 555 12 {n:02d}")
    page = send(client, cast, token="t9", phone_1="02 555 13 00").content.decode()
    assert "already received several requests" in page
    assert WebRequest.objects.count() == 5


def test_missing_consent_and_a_bad_number_are_explained_in_french(client, cast):
    response = client.post(
        f"/request/{cast.organisation.slug}/",
        {**FORM, "theme": cast.groceries.pk, "consent": "", "phone_1": "123"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    page = response.content.decode()
    assert "n’est pas un numéro de téléphone valide" in page or "numéro" in page
    assert 'value="Simone"' in page
    assert not Helpee.objects.filter(first_name="Simone").exists()


def test_a_relative_must_give_their_name(client, cast):
    page = send(client, cast, requester_name="").content.decode()
    assert "Please tell us your name." in page
