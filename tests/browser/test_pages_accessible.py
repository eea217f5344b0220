"""Every staff and public page passes axe-core, with demo-like data on it."""

import pytest

from solidair.callcentre import services as callcentre
from solidair.missions import services as missions
from solidair.people.models import RoleKind
from tests.browser.conftest import assert_accessible
from tests.browser.test_call_centre import log_in
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_coordinator_s_pages(page, cast):
    callback = callcentre.callback_create(
        organisation=cast.organisation, kind="unreachable", phone="+3225551234",
        helpee=cast.helpee,
    )  # fmt: skip
    callcentre.rota_plan(
        organisation=cast.organisation, by=cast.coordinator, operator=cast.operator,
        hours=[callback.due_at],
    )  # fmt: skip
    log_in(page, cast.coordinator)
    for path in (
        "/coordinator/",
        "/rota/",
        "/notifications/failed/",
        "/notifications/reserve/",
        "/help-lines/",
        f"/helpees/{cast.helpee.pk}/access-log/",
        f"/helpees/{cast.helpee.pk}/merge/?q=Dupont",
    ):
        page.goto(path)
        assert_accessible(page)


def test_the_operator_s_pages(page, cast):
    mission = missions.mission_create(
        helpee=cast.helpee, theme=cast.groceries, by=cast.trusted_operator
    )
    callback = callcentre.callback_create(
        organisation=cast.organisation, kind="voicemail", phone="+3225550000"
    )
    callcentre.callback_claim(callback=callback, by=cast.operator)
    log_in(page, cast.operator)
    for path in (
        "/callbacks/",
        f"/callbacks/{callback.pk}/",
        "/trouble/",
        "/helpees/",
        f"/helpees/{cast.helpee.pk}/",
        f"/helpees/{cast.helpee.pk}/place/",
        f"/missions/{mission.pk}/",
        f"/missions/{mission.pk}/edit/",
        f"/missions/{mission.pk}/assign/",
        f"/missions/{mission.pk}/ranking/",
        "/missions/",
        "/notifications/console/",
        "/missions/999999/",  # the page-not-found page
        "/coordinator/",  # the page for another role
    ):
        page.goto(path)
        assert_accessible(page)


def test_the_helper_s_and_the_admin_s_pages(page, cast):
    log_in(page, cast.helper.user)
    page.goto("/notifications/push/")
    assert_accessible(page)
    admin = make_user(cast.organisation, "admin", RoleKind.ADMIN)
    page.context.clear_cookies()
    log_in(page, admin)
    page.goto("/administration/")
    assert_accessible(page)


def test_the_public_pages(page, cast):
    for path in (
        "/request/",
        f"/request/{cast.organisation.slug}/thanks/",
        "/accounts/password/reset/",
    ):
        page.goto(path)
        assert_accessible(page)


def test_the_map_s_buttons_speak_the_operator_s_language(page, cast):
    cast.operator.language = "fr"
    cast.operator.save(update_fields=["language"])
    log_in(page, cast.operator)
    page.goto(f"/helpees/{cast.helpee.pk}/place/")
    zoom_in = page.locator(".leaflet-control-zoom-in")
    zoom_in.wait_for()
    assert zoom_in.get_attribute("title") == "Zoom avant"
    assert page.locator(".leaflet-control-zoom-out").get_attribute("aria-label") == "Zoom arrière"
    assert "JavaScript library" not in page.content()
    assert_accessible(page)
