"""Scarce things are locked: real concurrent clients on PostgreSQL, each on its own
connection, pressing at the same moment."""

import threading

import pytest
from django.db import connection, connections
from django.utils import translation

from solidair.missions import services
from solidair.missions.models import Mission, MissionEvent, State
from tests.conftest import make_helper

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs DATABASE_URL=postgres://"),
]


def all_at_once(count, action):
    """Run action(i) in `count` threads released together; return what each returned."""
    barrier = threading.Barrier(count)
    outcomes = [None] * count

    def run(i):
        try:
            barrier.wait()
            with translation.override("en"):
                outcomes[i] = action(i)
        except services.MissionError as refused:
            outcomes[i] = refused
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_twenty_helpers_accepting_at_once_give_exactly_one_assignment(cast):
    mission = services.mission_create(
        helpee=cast.helpee, theme=cast.groceries, by=cast.trusted_operator
    )
    helpers = [make_helper(cast.organisation, f"rush{i}") for i in range(20)]

    def accept(i):
        copy = Mission.objects.get(pk=mission.pk)
        return services.mission_assign(mission=copy, helper=helpers[i], by=helpers[i].user)

    outcomes = all_at_once(20, accept)
    won = [o for o in outcomes if isinstance(o, Mission)]
    refused = [o for o in outcomes if isinstance(o, services.MissionError)]
    assert (len(won), len(refused)) == (1, 19)
    assert all("can no longer be taken" in r.message for r in refused)
    mission.refresh_from_db()
    assert mission.state == State.ASSIGNED and mission.helper == won[0].helper
    assert MissionEvent.objects.filter(mission=mission, to_state=State.ASSIGNED).count() == 1


def test_ten_editors_saving_the_same_version_at_once_keep_exactly_one_save(cast):
    mission = services.mission_create(helpee=cast.helpee, theme=cast.groceries, by=cast.operator)
    version = mission.version

    def edit(i):
        copy = Mission.objects.get(pk=mission.pk)
        return services.mission_update(
            mission=copy,
            by=cast.operator,
            expected_version=version,
            changes={"shopping_list": f"list {i}"},
        )

    outcomes = all_at_once(10, edit)
    saved = [o for o in outcomes if isinstance(o, Mission)]
    assert len(saved) == 1
    assert all(isinstance(o, services.MissionChanged) for o in outcomes if o not in saved)
    mission.refresh_from_db()
    assert mission.shopping_list == saved[0].shopping_list
    assert mission.version == version + 1


def test_ten_operators_claiming_one_callback_at_once_give_it_to_exactly_one(cast):
    from solidair.callcentre import services as callcentre
    from solidair.callcentre.models import Callback
    from solidair.people.models import RoleKind
    from tests.conftest import make_user

    callback = callcentre.callback_create(
        organisation=cast.organisation, kind="voicemail", phone="+3225550000"
    )
    operators = [make_user(cast.organisation, f"op{i}", RoleKind.OPERATOR) for i in range(10)]

    def claim(i):
        try:
            return callcentre.callback_claim(
                callback=Callback.objects.get(pk=callback.pk), by=operators[i]
            )
        except callcentre.CallcentreError as refused:
            return refused

    outcomes = all_at_once(10, claim)
    won = [o for o in outcomes if isinstance(o, Callback)]
    assert len(won) == 1
    told = [o for o in outcomes if isinstance(o, callcentre.CallcentreError)]
    assert len(told) == 9 and all("Another operator" in t.message for t in told)
    callback.refresh_from_db()
    assert callback.claimed_by == won[0].claimed_by
