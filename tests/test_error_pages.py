"""Error pages speak the person's language, keep the site's landmarks, and say what to do."""

from django.template.loader import render_to_string
from django.utils import translation

from tests.conftest import login, make_user


def test_a_page_not_found_is_told_in_the_person_s_language(client, cast):
    french = make_user(cast.organisation, "francoise", "operator", language="fr")
    login(client, french)
    response = client.get("/missions/999999/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page introuvable" in page and '<main id="main"' in page and 'lang="fr"' in page


def test_a_page_for_another_role_is_refused_kindly(client, cast):
    login(client, cast.moderator)
    response = client.get("/listening/new/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Not for your role" in page and '<main id="main"' in page


def test_the_moderator_is_not_offered_a_listening_call_they_cannot_log(client, cast):
    login(client, cast.moderator)
    page = client.get(f"/helpees/{cast.helpee.pk}/").content.decode()
    assert "Log a listening call" not in page
    login(client, cast.operator)
    assert "Log a listening call" in client.get(f"/helpees/{cast.helpee.pk}/").content.decode()


def test_the_server_error_page_stands_alone_and_is_translated():
    with translation.override("nl"):
        page = render_to_string("500.html")
    assert 'lang="nl"' in page and "<main>" in page and "hulplijn" in page
