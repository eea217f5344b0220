from solidair.callcentre.models import Call
from tests.conftest import CsrfClient, login


def test_answering_a_known_number_opens_the_helpee_s_card_and_logs_the_call(client, cast):
    login(client, cast.operator)
    response = client.post("/calls/take/", {"number": "02 555 12 34"}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/helpees/{cast.helpee.pk}/"
    assert "In a call with +3225551234" in page
    call = Call.objects.get()
    assert (call.operator, call.helpee, call.language) == (cast.operator, cast.helpee, "fr")
    other = login(CsrfClient(), cast.trusted_operator)
    assert "Calls in progress" in other.get("/operator/live/").content.decode()
    assert "Jeanne Dupont" in other.get("/operator/live/").content.decode()


def test_an_unknown_number_searches_and_offers_a_new_helpee(client, cast):
    login(client, cast.operator)
    response = client.post("/calls/take/", {"number": "0470 98 76 54"}, follow=True)
    assert "Nobody matches" in response.content.decode()
    assert Call.objects.get().helpee is None


def test_a_withheld_number_is_still_a_call(client, cast):
    login(client, cast.operator)
    client.post("/calls/take/", {"number": ""})
    assert Call.objects.get().caller == ""


def test_an_unreadable_number_is_told_and_no_call_is_logged(client, cast):
    login(client, cast.operator)
    response = client.post("/calls/take/", {"number": "12ab"}, follow=True)
    assert "is not a phone number we can read" in response.content.decode()
    assert not Call.objects.exists()


def test_ending_the_call_records_its_outcome(client, cast):
    login(client, cast.operator)
    client.post("/calls/take/", {"number": "02 555 12 34"})
    call = Call.objects.get()
    client.post(f"/calls/{call.pk}/end/", {"outcome": "listening"})
    call.refresh_from_db()
    assert call.ended_at is not None and call.outcome == "listening"
    assert "In a call with" not in client.get("/operator/").content.decode()


def test_another_operator_cannot_end_my_call(client, cast):
    login(client, cast.operator)
    client.post("/calls/take/", {"number": ""})
    call = Call.objects.get()
    other = login(CsrfClient(), cast.trusted_operator)
    assert other.post(f"/calls/{call.pk}/end/", {"outcome": "other"}).status_code == 404
    call.refresh_from_db()
    assert call.ended_at is None


def test_the_caller_s_number_never_travels_in_an_address(client, cast):
    from solidair.callcentre.models import Call
    from tests.conftest import make_user

    login(client, cast.operator)
    response = client.post("/calls/take/", {"number": "0470 98 76 54"})
    call = Call.objects.get()
    assert response["Location"] == f"/helpees/?call={call.pk}"
    assert "0470" not in response["Location"] and "470" not in response["Location"]
    # The search and the new-helpee form read the number from the operator's own call.
    assert 'value="0470 98 76 54"' in client.get(response["Location"]).content.decode()
    assert "0470 98 76 54" in client.get(f"/helpees/new/?call={call.pk}").content.decode()
    console = client.get("/operator/live/").content.decode()
    assert f"?call={call.pk}" in console and "?phone=" not in console
    # Another operator's call id gives nothing away.
    colleague = make_user(cast.organisation, "colleague", "operator")
    login(client, colleague)
    assert "0470 98 76 54" not in client.get(f"/helpees/?call={call.pk}").content.decode()


def test_the_search_is_posted_so_names_stay_out_of_the_address(client, cast):
    login(client, cast.operator)
    page = client.get("/helpees/").content.decode()
    assert 'method="post"' in page and "hx-push-url" not in page
    found = client.post("/helpees/", {"q": "Dupont"}).content.decode()
    assert "Jeanne Dupont" in found
