import datetime

from django.utils import timezone

from solidair.missions.models import Mission, State
from solidair.missions.services import mission_assign, mission_complete, mission_create
from tests.conftest import login


def a_mission(cast, by=None):
    return mission_create(helpee=cast.helpee, theme=cast.groceries, by=by or cast.operator)


def test_an_operator_creates_a_groceries_mission_that_waits_for_review(client, cast):
    login(client, cast.operator)
    response = client.post(
        f"/helpees/{cast.helpee.pk}/missions/new/",
        {
            "theme": cast.groceries.pk,
            "shopping_list": "Bread, milk",
            "spending_cap": "30",
            "payback": "cash",
            "timing": "asap",
            "urgency": "normal",
            "recurrence": "none",
        },
        follow=True,
    )
    mission = Mission.objects.get()
    assert mission.state == State.PENDING_REVIEW
    assert mission.shopping_list == "Bread, milk"
    assert "waiting for review" in response.content.decode()


def test_a_mission_without_theme_is_refused_and_keeps_what_was_typed(client, cast):
    login(client, cast.operator)
    response = client.post(
        f"/helpees/{cast.helpee.pk}/missions/new/",
        {
            "shopping_list": "Bread, milk",
            "timing": "asap",
            "urgency": "normal",
            "recurrence": "none",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Please choose a theme." in page
    assert "Bread, milk" in page
    assert not Mission.objects.exists()


def test_a_negative_spending_cap_and_a_past_window_are_refused(client, cast):
    login(client, cast.operator)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(
        f"/helpees/{cast.helpee.pk}/missions/new/",
        {
            "theme": cast.groceries.pk,
            "spending_cap": "-5",
            "timing": "window",
            "day": yesterday.isoformat(),
            "time_from": "10:00",
            "time_to": "12:00",
            "urgency": "normal",
            "recurrence": "none",
        },
    )
    page = response.content.decode()
    assert "The spending cap must be a positive amount." in page
    assert "This time window is already over." in page
    assert not Mission.objects.exists()


def test_publishing_a_done_mission_shows_a_message_not_a_500(client, cast):
    mission = a_mission(cast, by=cast.trusted_operator)
    mission_assign(mission=mission, helper=cast.helper, by=cast.helper.user)
    mission_complete(mission=mission, by=cast.helper.user)
    login(client, cast.moderator)
    response = client.post(f"/missions/{mission.pk}/publish/", follow=True)
    assert response.status_code == 200
    assert "it cannot be published" in response.content.decode()
    assert Mission.objects.get(pk=mission.pk).state == State.DONE


def test_a_helper_cancelling_someone_else_s_mission_is_told_no(client, cast):
    mission = a_mission(cast, by=cast.trusted_operator)
    mission_assign(mission=mission, helper=cast.helper, by=cast.helper.user)
    login(client, cast.other_helper.user)
    response = client.post(f"/missions/{mission.pk}/cancel/", {"reason": "x"})
    assert response.status_code == 404
    assert Mission.objects.get(pk=mission.pk).state == State.ASSIGNED


def test_the_staff_pages_of_a_mission_are_not_the_helper_s(client, cast):
    """The helper acts through the helpers app (give back with a reason, done with the
    money), never the staff's actions, which would skip its counters and reports."""
    mission = a_mission(cast, by=cast.trusted_operator)
    mission_assign(mission=mission, helper=cast.helper, by=cast.helper.user)
    login(client, cast.helper.user)
    for action in ("cancel", "release", "complete", "start"):
        response = client.post(f"/missions/{mission.pk}/{action}/", {"reason": "x"})
        assert response.status_code == 404, action
    assert Mission.objects.get(pk=mission.pk).state == State.ASSIGNED


def test_the_helper_is_sent_to_their_own_page_while_the_mission_is_theirs(client, cast):
    from solidair.missions.services import mission_cancel
    from solidair.people.models import AccessLog

    mission = a_mission(cast, by=cast.trusted_operator)
    mission_assign(mission=mission, helper=cast.helper, by=cast.helper.user)
    login(client, cast.helper.user)
    response = client.get(f"/missions/{mission.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/helpers/missions/{mission.pk}/"
    mission_cancel(mission=mission, by=cast.operator, reason="The family came")
    # Cancelled: the helper no longer sees who or where, on any page.
    assert client.get(f"/missions/{mission.pk}/").status_code == 404
    assert client.get(f"/helpers/missions/{mission.pk}/").status_code == 404
    assert not AccessLog.objects.filter(user=cast.helper.user).exists()


def edit_data(mission, **changes):
    data = {
        "theme": mission.theme_id,
        "details": mission.details,
        "shopping_list": mission.shopping_list,
        "spending_cap": "",
        "payback": "",
        "timing": "asap",
        "urgency": "normal",
        "recurrence": "none",
        "version": mission.version,
    }
    data.update(changes)
    return data


def test_two_operators_saving_from_stale_copies(client, cast):
    from tests.conftest import CsrfClient

    mission = a_mission(cast)
    first, second = login(client, cast.operator), login(CsrfClient(), cast.moderator)
    loaded = Mission.objects.get(pk=mission.pk)
    response = first.post(f"/missions/{mission.pk}/edit/", edit_data(loaded, shopping_list="Bread"))
    assert response.status_code == 302
    response = second.post(
        f"/missions/{mission.pk}/edit/", edit_data(loaded, shopping_list="Milk, apples")
    )
    page = response.content.decode()
    assert "Someone else changed this mission" in page
    assert "Bread</textarea>" in page  # the newer values
    assert "Milk, apples" in page  # what the second typed is still in front of them
    assert Mission.objects.get(pk=mission.pk).shopping_list == "Bread"


def test_the_mission_page_logs_the_view_of_the_helpee_s_details(client, cast):
    mission = a_mission(cast)
    login(client, cast.moderator)
    page = client.get(f"/missions/{mission.pk}/").content.decode()
    assert "Rue du Bailli 12" in page
    entry = cast.helpee.access_log.get()
    assert (entry.user, entry.page) == (cast.moderator, f"/missions/{mission.pk}/")
