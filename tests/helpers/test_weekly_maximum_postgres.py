"""A helper one mission below their weekly maximum presses Accept on two missions at
the same moment, through the real view, on two database connections: they get one."""

import threading

import pytest
from django.db import connection, connections

from solidair.missions.models import Mission, State
from solidair.missions.services import mission_assign
from tests.conftest import CsrfClient
from tests.helpers.conftest import published_mission

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs DATABASE_URL=postgres://"),
]


def test_two_accepts_at_once_one_below_the_maximum_give_one_mission(cast):
    helper = cast.helper
    helper.max_missions_per_week = 2
    helper.save(update_fields=["max_missions_per_week"])
    mission_assign(mission=published_mission(cast), helper=helper, by=helper.user)
    wanted = [published_mission(cast), published_mission(cast)]
    barrier = threading.Barrier(len(wanted))
    outcomes: list = [None] * len(wanted)

    def press(i):
        try:
            client = CsrfClient(HTTP_ACCEPT_LANGUAGE="en")
            client.force_login(helper.user)
            barrier.wait()
            response = client.post(f"/helpers/missions/{wanted[i].pk}/accept/", follow=True)
            outcomes[i] = (response.status_code, response.content.decode())
        except Exception as error:  # a 500 raised in the test client
            outcomes[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press, args=(i,)) for i in range(len(wanted))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not [o for o in outcomes if isinstance(o, Exception)]
    assert [status for status, _text in outcomes] == [200, 200]
    refused = [text for _status, text in outcomes if "the most you chose" in text]
    assert len(refused) == 1
    taken = Mission.objects.filter(pk__in=[m.pk for m in wanted], helper=helper)
    assert taken.count() == 1 and taken.get().state == State.ASSIGNED
    assert Mission.objects.filter(helper=helper, state=State.ASSIGNED).count() == 2
