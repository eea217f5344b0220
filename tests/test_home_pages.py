import pytest

from tests.conftest import PASSWORD, login

HOMES = [
    ("operator", "/operator/", "Operator console"),
    ("moderator", "/moderator/", "Missions waiting for review"),
    ("coordinator", "/coordinator/", "Coordination"),
]


@pytest.mark.parametrize(("who", "url", "heading"), HOMES)
def test_each_role_lands_on_its_home_page(client, cast, who, url, heading):
    response = client.post(
        "/accounts/login/", {"login": f"{who}@example.org", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == url
    assert f"<h1>{heading}</h1>" in response.content.decode()


def test_a_helper_waiting_for_the_identity_check_is_told_why(client, cast):
    from tests.conftest import make_helper

    newcomer = make_helper(cast.organisation, "newcomer", verified=False)
    login(client, newcomer.user)
    page = client.get("/", follow=True).content.decode()
    assert "Before you see missions, we check that you are who you say" in page


def test_an_admin_sees_the_administration_page(client, cast):
    from solidair.people.models import RoleKind
    from tests.conftest import make_user

    admin = make_user(cast.organisation, "admin", RoleKind.ADMIN)
    login(client, admin)
    page = client.get("/", follow=True).content.decode()
    assert "<h1>Administration</h1>" in page and "/admin/missions/theme/" in page


def test_a_wrong_password_is_told_and_the_email_kept(client, cast):
    response = client.post(
        "/accounts/login/",
        {"login": "operator@example.org", "password": "nope"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="operator@example.org"' in page
    assert "not correct" in page


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get("/operator/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_logging_out(client, cast):
    login(client, cast.operator)
    client.post("/accounts/logout/")
    assert client.get("/operator/").status_code == 302


def test_password_reset_sends_an_email(client, cast, mailoutbox):
    response = client.post("/accounts/password/reset/", {"email": "operator@example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


def test_the_stylesheet_and_htmx_are_served_by_the_app(client, db):
    page = client.get("/accounts/login/").content.decode()
    for asset in ("/static/solidair/site.css", "/static/django_htmx/htmx-2.min.js"):
        assert asset in page
        response = client.get(asset)
        assert response.status_code == 200
        b"".join(response.streaming_content)
