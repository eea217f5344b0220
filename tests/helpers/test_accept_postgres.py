"""Fifty helpers press "Accept" at the same moment, through the real view, each on its
own database connection: exactly one gets the mission, 49 are told, none sees a 500."""

import threading

import pytest
from django.db import connection, connections

from solidair.missions.models import Mission, MissionEvent, State
from tests.conftest import CsrfClient, make_helper
from tests.helpers.conftest import published_mission

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs DATABASE_URL=postgres://"),
]

COUNT = 50


def test_fifty_concurrent_accepts_give_exactly_one_assignment(cast):
    mission = published_mission(cast)
    helpers = [make_helper(cast.organisation, f"rush{i}") for i in range(COUNT)]
    clients = []
    for helper in helpers:
        client = CsrfClient(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(helper.user)
        clients.append(client)
    barrier = threading.Barrier(COUNT)
    outcomes: list = [None] * COUNT

    def press(i):
        try:
            barrier.wait()
            response = clients[i].post(f"/helpers/missions/{mission.pk}/accept/", follow=True)
            outcomes[i] = (response.status_code, response.redirect_chain, response.content)
        except Exception as error:  # a 500 raised in the test client
            outcomes[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press, args=(i,)) for i in range(COUNT)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not [o for o in outcomes if isinstance(o, Exception)]
    assert all(status == 200 for status, _chain, _content in outcomes)
    mission_page = f"/helpers/missions/{mission.pk}/"
    won = [o for o in outcomes if o[1][0][0] == mission_page]
    told = [o for o in outcomes if b"Another helper was faster." in o[2]]
    assert (len(won), len(told)) == (1, COUNT - 1)
    mission = Mission.objects.get(pk=mission.pk)
    assert mission.state == State.ASSIGNED and mission.helper in helpers
    assert MissionEvent.objects.filter(mission=mission, to_state=State.ASSIGNED).count() == 1
