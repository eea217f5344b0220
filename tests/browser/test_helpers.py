"""A helper's life in Chromium: signs up in Dutch, shows their identity card, is
approved (and the photos are gone), sees a mission appear live and accepts it first."""

import os

import pytest
from PIL import Image

from solidair.helpers.models import IdentityDocument
from solidair.missions import services as missions
from solidair.missions.models import Mission, State
from solidair.people.models import Helper, Verification
from tests.browser.conftest import assert_accessible
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, email, password=PASSWORD):
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media" / "private"


@pytest.fixture
def card_photo(tmp_path):
    path = tmp_path / "kaart.jpg"
    Image.new("RGB", (320, 200), (90, 140, 200)).save(path, "JPEG")
    return str(path)


def test_a_helper_signs_up_in_dutch_is_verified_and_accepts_a_mission_first(
    browser, live_server, cast, private_media, card_photo
):
    nl = browser.new_context(base_url=live_server.url, locale="nl-BE").new_page()
    nl.set_default_timeout(10_000)

    # Sign up, in Dutch, with the keyboard-friendly form; a mistake first keeps it all.
    nl.goto("/helpers/join/")
    assert nl.locator("html").get_attribute("lang") == "nl"
    assert_accessible(nl)
    nl.locator("#id_first_name").fill("Lotte")
    nl.locator("#id_last_name").fill("Janssens")
    nl.locator("#id_email").fill("lotte@example.org")
    nl.locator("#id_password").fill("kanaal-fiets-2020")
    nl.locator("#id_phone").fill("0470 11 22 33")
    nl.locator("#id_street").fill("Kerkstraat")
    nl.locator("#id_house_number").fill("4")
    nl.locator("#id_postcode").fill("1050")
    nl.locator("#id_radius_km").fill("3")
    nl.locator("#id_themes_0").check()
    nl.locator("#id_languages_0").check()  # French: the helpee speaks it
    nl.locator("#id_languages_1").check()  # Dutch
    nl.locator("#id_conduct").check()
    nl.locator("#join-submit").click()
    nl.locator("#id_availability_error").wait_for()  # no availability at all
    assert nl.locator("#id_street").input_value() == "Kerkstraat"
    assert_accessible(nl)
    nl.locator("#id_availability_sat_morning").check()
    nl.locator("#id_available_now").check()
    nl.locator("#join-submit").click()
    nl.wait_for_url("**/helpers/identity/")
    helper = Helper.objects.get(user__email="lotte@example.org")
    assert helper.user.language == "nl" and helper.verification == Verification.PENDING
    assert_accessible(nl)

    # The identity card, both sides, with its national number.
    nl.locator("#id_document_type").select_option("id_card")
    nl.locator("#id_expires_on").fill("2030-01-01")
    nl.locator("#id_front").set_input_files(card_photo)
    nl.locator("#id_back").set_input_files(card_photo)
    nl.locator("summary").click()
    nl.locator("#id_national_number").fill("85.07.30-033.28")
    nl.locator("#identity-submit").click()
    nl.locator("#status").wait_for()
    assert_accessible(nl)
    document = IdentityDocument.objects.get(helper=helper)
    images = [document.front.path, document.back.path]
    assert all(os.path.exists(p) for p in images)

    # A moderator approves it; the photos are gone from storage.
    moderator = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    log_in(moderator, cast.moderator.email)
    moderator.goto("/helpers/review/")
    assert_accessible(moderator)
    moderator.get_by_role("link", name="Lotte Janssens").click()
    moderator.wait_for_function(
        "() => [...document.querySelectorAll('img.id-image')]"
        ".every(i => i.complete && i.naturalWidth > 0)"
    )
    assert_accessible(moderator)
    moderator.locator("#id_decision_0").check()
    moderator.locator("#decide").click()
    moderator.wait_for_url("**/helpers/review/")
    assert not any(os.path.exists(p) for p in images)
    helper.refresh_from_db()
    assert helper.verification == Verification.APPROVED

    # Both helpers watch their feed; a mission nearby appears by itself.
    nl.goto("/helpers/feed/")
    assert_accessible(nl)
    other = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    log_in(other, cast.other_helper.user.email)
    other.goto("/helpers/feed/")
    mission = missions.mission_create(
        helpee=cast.helpee, theme=cast.groceries, by=cast.trusted_operator, details="Bread"
    )
    assert mission.state == State.PUBLISHED
    card = f"#mission-{mission.pk}"
    nl.locator(card).wait_for(timeout=6_000)
    other.locator(card).wait_for(timeout=6_000)
    assert "Bailli" not in nl.content() and "Jeanne" not in nl.content()
    assert_accessible(nl)

    # The other helper is on the Accept button when Lotte presses hers.
    other.locator(f"{card} .accept-form button").focus()
    nl.locator(f"{card} .accept-form button").click()
    other.keyboard.press("Enter")
    nl.wait_for_url(f"**/helpers/missions/{mission.pk}/")
    assert "Rue du Bailli 12" in nl.locator("#helpee-address").inner_text()
    assert_accessible(nl)
    other.get_by_text("Another helper was faster.").wait_for()
    other.locator(card).wait_for(state="detached")
    assert_accessible(other)
    mission = Mission.objects.get(pk=mission.pk)
    assert mission.state == State.ASSIGNED and mission.helper == helper
