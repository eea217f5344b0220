import pytest
from django.utils import translation

from solidair.missions import services
from solidair.missions.models import Mission, MissionEvent, Source, State
from solidair.missions.services import MissionError


def new_mission(cast, by=None, **fields):
    return services.mission_create(
        helpee=cast.helpee, theme=cast.groceries, by=by or cast.operator, **fields
    )


def states(mission):
    return list(mission.events.values_list("from_state", "to_state"))


def test_an_operator_s_mission_waits_for_review(cast):
    mission = new_mission(cast)
    assert mission.state == State.PENDING_REVIEW
    assert states(mission) == [("", "draft"), ("draft", "pending_review")]


def test_a_trusted_operator_publishes_directly(cast):
    mission = new_mission(cast, by=cast.trusted_operator)
    assert mission.state == State.PUBLISHED


def test_a_web_request_goes_to_review_even_from_a_trusted_operator(cast):
    mission = new_mission(cast, by=cast.trusted_operator, source=Source.WEB)
    assert mission.state == State.PENDING_REVIEW


def test_the_whole_lifecycle_is_recorded_with_who_and_why(cast):
    mission = new_mission(cast)
    services.mission_publish(mission=mission, by=cast.moderator)
    services.mission_assign(mission=mission, helper=cast.helper, by=cast.helper.user)
    services.mission_start(mission=mission, by=cast.helper.user)
    services.mission_complete(mission=mission, by=cast.helper.user)
    mission.refresh_from_db()
    assert mission.state == State.DONE
    assert mission.helper == cast.helper
    events = list(mission.events.all())
    assert [(e.from_state, e.to_state) for e in events] == [
        ("", "draft"),
        ("draft", "pending_review"),
        ("pending_review", "published"),
        ("published", "assigned"),
        ("assigned", "in_progress"),
        ("in_progress", "done"),
    ]
    assert [e.actor for e in events[2:]] == [cast.moderator] + [cast.helper.user] * 3


def test_releasing_puts_the_mission_back_without_its_helper(cast):
    mission = new_mission(cast, by=cast.trusted_operator)
    services.mission_assign(mission=mission, helper=cast.helper, by=cast.helper.user)
    services.mission_release(mission=mission, by=cast.helper.user, reason="I am ill")
    mission.refresh_from_db()
    assert (mission.state, mission.helper) == (State.PUBLISHED, None)
    assert mission.events.last().reason == "I am ill"


def test_unmatched_is_escalated_by_solidair_itself_and_can_be_republished(cast):
    mission = new_mission(cast, by=cast.trusted_operator)
    services.mission_escalate(mission=mission, by=None, reason="nobody accepted")
    assert mission.state == State.UNMATCHED
    assert mission.events.last().actor is None
    services.mission_publish(mission=mission, by=cast.trusted_operator)
    assert mission.state == State.PUBLISHED


def test_publishing_a_done_mission_is_refused_in_the_user_s_language(cast):
    mission = new_mission(cast, by=cast.trusted_operator)
    services.mission_assign(mission=mission, helper=cast.helper, by=cast.helper.user)
    services.mission_complete(mission=mission, by=cast.helper.user)
    events_before = mission.events.count()
    with translation.override("fr"), pytest.raises(MissionError) as refused:
        services.mission_publish(mission=mission, by=cast.moderator)
    assert "publiée" in refused.value.message
    mission.refresh_from_db()
    assert mission.state == State.DONE
    assert mission.events.count() == events_before


def test_a_helper_cannot_cancel_someone_else_s_mission(cast):
    mission = new_mission(cast, by=cast.trusted_operator)
    services.mission_assign(mission=mission, helper=cast.helper, by=cast.helper.user)
    with pytest.raises(MissionError):
        services.mission_cancel(mission=mission, by=cast.other_helper.user, reason="no")
    with pytest.raises(MissionError):
        services.mission_release(mission=mission, by=cast.other_helper.user, reason="no")
    mission.refresh_from_db()
    assert (mission.state, mission.helper) == (State.ASSIGNED, cast.helper)


def test_an_operator_cannot_publish_without_being_trusted(cast):
    mission = new_mission(cast)
    with pytest.raises(MissionError):
        services.mission_publish(mission=mission, by=cast.operator)
    assert Mission.objects.get(pk=mission.pk).state == State.PENDING_REVIEW


def test_staff_of_another_organisation_cannot_touch_the_mission(cast):
    mission = new_mission(cast)
    with pytest.raises(MissionError):
        services.mission_cancel(mission=mission, by=cast.outsider, reason="mine now")
    assert Mission.objects.get(pk=mission.pk).state == State.PENDING_REVIEW


def test_cancelling_needs_a_reason(cast):
    mission = new_mission(cast)
    with pytest.raises(MissionError):
        services.mission_cancel(mission=mission, by=cast.coordinator, reason="  ")
    services.mission_cancel(mission=mission, by=cast.coordinator, reason="Family helps")
    assert mission.state == State.CANCELLED


def test_an_unverified_helper_cannot_take_a_mission(cast):
    from tests.conftest import make_helper

    newcomer = make_helper(cast.organisation, "newcomer", verified=False)
    mission = new_mission(cast, by=cast.trusted_operator)
    with pytest.raises(MissionError):
        services.mission_assign(mission=mission, helper=newcomer, by=newcomer.user)
    assert Mission.objects.get(pk=mission.pk).helper is None


def test_the_second_helper_is_told_the_mission_is_taken(cast):
    mission = new_mission(cast, by=cast.trusted_operator)
    stale_copy = Mission.objects.get(pk=mission.pk)
    services.mission_assign(mission=mission, helper=cast.helper, by=cast.helper.user)
    with translation.override("en"), pytest.raises(MissionError) as refused:
        services.mission_assign(
            mission=stale_copy, helper=cast.other_helper, by=cast.other_helper.user
        )
    assert "can no longer be taken" in refused.value.message
    assert Mission.objects.get(pk=mission.pk).helper == cast.helper
    assert MissionEvent.objects.filter(mission=mission, to_state="assigned").count() == 1


def test_a_stale_edit_is_refused_and_keeps_the_first_save(cast):
    mission = new_mission(cast)
    first = Mission.objects.get(pk=mission.pk)
    second = Mission.objects.get(pk=mission.pk)
    services.mission_update(
        mission=first,
        by=cast.operator,
        expected_version=first.version,
        changes={"shopping_list": "Bread"},
    )
    with pytest.raises(services.MissionChanged) as changed:
        services.mission_update(
            mission=second,
            by=cast.moderator,
            expected_version=second.version,
            changes={"shopping_list": "Milk"},
        )
    assert changed.value.current.shopping_list == "Bread"
    assert Mission.objects.get(pk=mission.pk).shopping_list == "Bread"
