"""Each role logs in, in French and in Dutch, with the keyboard, and sees its home page."""

import pytest

from solidair.people.models import RoleKind
from tests.browser.conftest import assert_accessible
from tests.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADINGS = {
    "fr": {
        "helper": "Bonjour Helper",
        "operator": "Console de l’opérateur",
        "moderator": "Missions en attente de vérification",
        "coordinator": "Coordination",
        "admin": "Administration",
    },
    "nl": {
        "helper": "Hallo Helper",
        "operator": "Telefonistenconsole",
        "moderator": "Opdrachten die wachten op controle",
        "coordinator": "Coördinatie",
        "admin": "Beheer",
    },
}


@pytest.mark.parametrize("language", ["fr", "nl"])
@pytest.mark.parametrize("role", ["helper", "operator", "moderator", "coordinator", "admin"])
def test_each_role_logs_in_and_sees_its_home_page(page, cast, language, role):
    if role == "helper":
        user = cast.helper.user
    else:
        user = make_user(cast.organisation, f"{role}-{language}", RoleKind(role))
    user.language = language
    user.save()

    page.goto("/accounts/login/")
    if language == "nl":
        page.get_by_role("button", name="NL").click()
    assert_accessible(page)
    # The keyboard alone: type, Tab to the password, Enter.
    page.locator("#id_login").focus()
    page.keyboard.type(user.email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")

    heading = page.get_by_role("heading", level=1)
    heading.wait_for()
    assert heading.inner_text() == HEADINGS[language][role]
    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(page)
