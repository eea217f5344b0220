from tests.conftest import login


def test_the_chosen_language_is_remembered_on_the_account(client, cast):
    login(client, cast.operator)
    client.post("/language/", {"language": "nl", "next": "/operator/"})
    cast.operator.refresh_from_db()
    assert cast.operator.language == "nl"
    # Another device, with no cookie: still Dutch.
    from tests.conftest import CsrfClient

    other = login(CsrfClient(), cast.operator)
    response = other.get("/operator/")
    assert response.headers["Content-Language"] == "nl"
    assert '<html lang="nl">' in response.content.decode()


def test_a_visitor_s_choice_is_kept_in_a_cookie(client, db):
    response = client.post("/language/", {"language": "de", "next": "/accounts/login/"})
    assert response.cookies["solidair_language"].value == "de"
    assert '<html lang="de">' in client.get("/accounts/login/").content.decode()


def test_an_unknown_language_or_a_foreign_next_url_changes_nothing(client, cast):
    login(client, cast.operator)
    response = client.post("/language/", {"language": "xx", "next": "https://evil.example/"})
    assert response.url == "/"
    cast.operator.refresh_from_db()
    assert cast.operator.language == "en"
