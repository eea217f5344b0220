"""In Chromium: a helper swipes cards on a touch screen; a helper at their weekly
maximum is told so, keyboard only; an operator reads the money of a done mission and
opens the receipt, keyboard only (and the view is logged)."""

import pytest

from solidair.helpers.models import Dismissal
from solidair.helpers.services import mission_accept, mission_done
from solidair.missions import services as missions
from solidair.missions.models import Mission, State
from solidair.people.models import AccessLog
from tests.browser.conftest import assert_accessible
from tests.helpers.conftest import photo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, user):
    from tests.conftest import PASSWORD

    page.goto("/accounts/login/")
    page.locator("#id_login").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def publish(cast, **fields):
    return missions.mission_create(
        helpee=cast.helpee, theme=cast.groceries, by=cast.trusted_operator, **fields
    )


def swipe(page, cdp, selector, dx):
    box = page.locator(selector).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, 6):
        point = {"x": x + dx * step / 5, "y": y}
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def tab_to(page, selector, presses=60):
    """Press Tab until `selector` has the focus, as a keyboard user would."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with the keyboard")


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media" / "private"


def test_a_helper_swipes_left_to_set_aside_and_right_to_accept(browser, live_server, cast):
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-GB",
        has_touch=True,
        is_mobile=True,
        viewport={"width": 390, "height": 844},
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, cast.helper.user)
    first, second = publish(cast, details="Bread"), publish(cast, details="Apples")
    page.goto("/helpers/feed/")
    assert_accessible(page)
    cdp = context.new_cdp_session(page)

    swipe(page, cdp, f"#mission-{first.pk}", -200)
    page.get_by_text("This mission will not be shown to you again.").wait_for()
    assert page.locator(f"#mission-{first.pk}").count() == 0
    assert Dismissal.objects.filter(helper=cast.helper, mission=first).exists()

    swipe(page, cdp, f"#mission-{second.pk}", 200)
    page.wait_for_url(f"**/helpers/missions/{second.pk}/")
    assert Mission.objects.get(pk=second.pk).helper == cast.helper
    context.close()


def test_a_helper_at_their_weekly_maximum_is_told_so(page, cast):
    helper = cast.helper
    helper.max_missions_per_week = 1
    helper.save(update_fields=["max_missions_per_week"])
    mission_accept(mission=publish(cast, details="Bread"), helper=helper)
    wanted = publish(cast, details="Apples")
    log_in(page, helper.user)
    page.goto("/helpers/feed/")
    page.locator("#at-maximum").wait_for()
    assert_accessible(page)
    tab_to(page, f"#mission-{wanted.pk} .accept-form button")
    page.keyboard.press("Enter")
    page.get_by_text("the most you chose: you can accept another one next week").first.wait_for()
    assert_accessible(page)
    wanted.refresh_from_db()
    assert wanted.state == State.PUBLISHED and wanted.helper is None


def test_an_operator_reads_the_money_and_opens_the_receipt(page, cast, private_media):
    mission = publish(cast, shopping_list="Bread", spending_cap="20")
    mission_accept(mission=mission, helper=cast.helper)
    mission_done(
        mission=mission,
        helper=cast.helper,
        amount_spent="18.40",
        receipt=photo("receipt.jpg", size=(300, 500)),
        payback="cash",
    )
    log_in(page, cast.operator)
    page.goto(f"/missions/{mission.pk}/")
    assert "18.40 €" in page.locator("#amount-spent").inner_text()
    assert_accessible(page)
    tab_to(page, "#receipt a")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/missions/{mission.pk}/receipt.img")
    assert AccessLog.objects.filter(
        user=cast.operator, page=f"/missions/{mission.pk}/receipt.img"
    ).exists()
