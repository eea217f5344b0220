"""Several dispatch workers handle the same wave of the same mission at the same
moment, each on its own database connection: exactly one wave of offers goes out, with
no duplicate offer and no double alert."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from solidair.matching.models import Dispatch, DispatchPolicy, HelperSpot, Offer
from solidair.matching.services import dispatch_wave
from solidair.notifications.models import Message
from tests.matching.conftest import helper_at, published_mission

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs DATABASE_URL=postgres://"),
]

WORKERS = 8


def run_at_once(mission_id, now):
    barrier = threading.Barrier(WORKERS)
    sent: list = [None] * WORKERS

    def work(i):
        try:
            barrier.wait()
            sent[i] = dispatch_wave(mission_id=mission_id, now=now)
        except Exception as error:
            sent[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sent


def test_workers_racing_on_one_wave_send_it_exactly_once(cast):
    DispatchPolicy.objects.create(organisation=cast.organisation, wave_size=3, alerts_per_day=9)
    for i in range(9):
        helper_at(cast, f"near{i}", km_north=0.1 * (i + 1))
    missions = [published_mission(cast) for _ in range(3)]  # wave 1 goes out on commit
    due = timezone.now() + timedelta(minutes=11)
    for mission in missions:
        assert Offer.objects.filter(mission=mission, wave=1).count() == 3
        sent = run_at_once(mission.pk, due)  # every worker finds wave 2 due
        assert not [s for s in sent if isinstance(s, Exception)]
        assert sorted(sent) == [0] * (WORKERS - 1) + [3]  # one worker sent it
        offers = Offer.objects.filter(mission=mission)
        assert offers.filter(wave=2).count() == 3
        assert len(set(offers.values_list("helper_id", flat=True))) == offers.count() == 6
        assert Dispatch.objects.get(mission=mission).wave == 2
    keys = [f"offer:{pk}" for pk in Offer.objects.values_list("pk", flat=True)]
    assert Message.objects.filter(idempotency_key__in=keys).count() == len(keys) == 18
    # Every alert counted once, each on the helper who got it.
    assert sum(HelperSpot.objects.values_list("alerts_today", flat=True)) == 18
