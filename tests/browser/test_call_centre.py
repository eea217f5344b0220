"""The call centre as people use it, in Chromium; every page passes axe-core."""

import datetime

import pytest
from django.utils import timezone

from solidair.callcentre.models import Callback, SupportCall
from solidair.missions.models import Mission, State
from solidair.people.models import Helpee
from tests.browser.conftest import assert_accessible
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, user):
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    # On a busy 2-core CI machine, with another page polling the same live server, 10 s
    # was once not enough.
    page.wait_for_url(lambda url: "/accounts/login/" not in url, timeout=30_000)


def type_into(page, selector, text):
    page.locator(selector).focus()
    page.keyboard.type(text)


def test_an_operator_takes_a_call_from_a_new_helpee_in_dutch_with_the_keyboard(page, cast):
    cast.operator.language = "nl"
    cast.operator.save()
    log_in(page, cast.operator)
    assert_accessible(page)
    # The caller's number, then Enter: nobody known.
    type_into(page, "#caller", "0470 98 76 54")
    page.keyboard.press("Enter")
    page.get_by_text("Niemand").wait_for()
    page.get_by_role("link", name="Nieuwe hulpvrager vastleggen").focus()
    page.keyboard.press("Enter")
    page.locator("#id_first_name").wait_for()
    assert_accessible(page)
    type_into(page, "#id_first_name", "Maria")
    page.keyboard.press("Tab")
    page.keyboard.type("Peeters")
    page.keyboard.press("Tab")
    page.keyboard.type("Nederlands")  # the select follows what is typed
    page.get_by_text("Solidair bewaart uw naam").wait_for()  # consent read in Dutch
    type_into(page, "#id_phone_1", "0470 98 76 54")
    type_into(page, "#id_street", "Kerkstraat")
    page.keyboard.press("Tab")
    page.keyboard.type("4")
    page.keyboard.press("Tab")
    page.keyboard.type("1030")
    page.locator("#id_consent").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Maria Peeters").wait_for()
    helpee = Helpee.objects.get(first_name="Maria")
    assert helpee.language == "nl" and helpee.phones.get().number == "+32470987654"

    page.get_by_role("link", name="Nieuwe opdracht").focus()
    page.keyboard.press("Enter")
    page.locator("#id_theme").wait_for()
    assert_accessible(page)
    page.locator("#id_theme").focus()
    page.keyboard.type("Boodschappen")
    page.keyboard.press("Tab")
    page.keyboard.type("Brood, melk, koffie")
    page.keyboard.press("Tab")
    page.keyboard.type("25")
    page.locator("#id_payback").focus()
    page.keyboard.press("ArrowDown")
    page.get_by_role("button", name="De opdracht aanmaken").focus()
    page.keyboard.press("Enter")
    page.get_by_text("De opdracht wacht op controle").wait_for()
    mission = Mission.objects.get(helpee=helpee)
    assert (mission.state, mission.shopping_list, str(mission.spending_cap)) == (
        State.PENDING_REVIEW,
        "Brood, melk, koffie",
        "25.00",
    )
    assert_accessible(page)


def test_a_listening_call_s_follow_up_appears_in_the_callback_queue(page, cast):
    log_in(page, cast.operator)
    page.goto(f"/listening/new/?helpee={cast.helpee.pk}")
    assert_accessible(page)
    page.locator("#id_duration_minutes").fill("20")
    page.get_by_label("2 · low").check()
    page.locator("#id_notes").fill("Lonely this week")
    page.get_by_label("Call them again").check()
    soon = timezone.localtime() + datetime.timedelta(minutes=2)
    page.locator("#id_follow_up_at").fill(soon.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Log the call").click()
    page.get_by_text("the follow-up is in the callback queue").wait_for()
    assert SupportCall.objects.get().mood == 2
    Callback.objects.update(due_at=timezone.now())  # its time has come
    page.locator("#live").get_by_role("cell", name="Jeanne Dupont", exact=True).wait_for(
        timeout=8000
    )
    assert_accessible(page)


def test_a_moderator_publishes_a_web_request(page, cast, browser, live_server):
    relative = browser.new_context(base_url=live_server.url, locale="fr-BE").new_page()
    fill_public_form(relative, cast)
    mission = Mission.objects.get(helpee__first_name="Simone")
    log_in(page, cast.moderator)
    assert_accessible(page)
    page.get_by_role("link", name=f"#{mission.pk}").first.click()
    page.get_by_role("button", name="Publish").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("the mission is now").wait_for()
    mission.refresh_from_db()
    assert mission.state == State.PUBLISHED


def fill_public_form(page, cast):
    page.goto(f"/request/{cast.organisation.slug}/")
    page.get_by_label("Un proche").check()
    page.locator("#id_requester_name").fill("Julie Martin")
    page.locator("#id_requester_phone").fill("0475 11 22 33")
    page.locator("#id_first_name").fill("Simone")
    page.locator("#id_last_name").fill("Martin")
    page.locator("#id_phone_1").fill("02 555 12 99")
    page.locator("#id_street").fill("Rue Haute")
    page.locator("#id_house_number").fill("5")
    page.locator("#id_postcode").fill("1000")
    page.get_by_label("Courses").check()
    page.locator("#id_details").fill("Les courses de la semaine, mardi matin")
    page.get_by_label("Appelez-moi").check()
    page.locator("#id_consent").check()
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.get_by_role("heading", name="Merci").wait_for()


def test_a_relative_submits_the_public_form_in_french(page, cast):
    page.goto(f"/request/{cast.organisation.slug}/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert_accessible(page)
    fill_public_form(page, cast)
    assert_accessible(page)
    mission = Mission.objects.get(helpee__first_name="Simone")
    assert mission.state == State.PENDING_REVIEW
    assert mission.web_request.requester_name == "Julie Martin"
