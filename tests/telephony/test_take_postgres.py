"""Operators whose phones rang at once all press 1 at the same moment, through the real
webhook, each on its own database connection: exactly one gets the call, the others are
told it was taken, none sees a 500."""

import threading

import pytest
from django.db import connection, connections

from solidair.callcentre.models import Call
from solidair.telephony.models import LineSettings, Ring, RingOutcome, RingStrategy
from tests.telephony.conftest import SID, Provider, caller_waits, leg, operator_on_shift

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs DATABASE_URL=postgres://"),
]

COUNT = 8


def test_operators_pressing_1_at_the_same_moment_give_the_call_to_exactly_one(line):
    LineSettings.objects.create(
        organisation=line.organisation, ring_strategy=RingStrategy.SIMULTANEOUS
    )
    for i in range(COUNT):
        operator_on_shift(line, f"op{i}", ["nl"], phone=f"+3247000001{i}")
    caller_waits(Provider(), language="nl")
    rings = list(Ring.objects.order_by("pk"))
    assert len(rings) == COUNT
    barrier = threading.Barrier(COUNT)
    answers: list = [None] * COUNT

    def press(i):
        try:
            barrier.wait()
            answers[i] = leg(Provider(), "/telephony/voice/operator/take/", rings[i], Digits="1")
        except Exception as error:  # a 500 raised in the test client
            answers[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press, args=(i,)) for i in range(COUNT)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not [a for a in answers if isinstance(a, Exception)], answers
    bridged = [i for i, root in enumerate(answers) if root.find("Dial/Queue") is not None]
    said = [root.findtext("Say", default="") for root in answers]
    told = [i for i, text in enumerate(said) if "taken by another operator" in text]
    assert len(bridged) == 1 and len(told) == COUNT - 1
    call = Call.objects.get(provider_sid=SID)
    assert call.operator == rings[bridged[0]].operator and call.answered_at is not None
    outcomes = sorted(Ring.objects.values_list("outcome", flat=True))
    assert outcomes == sorted([RingOutcome.TAKEN] + [RingOutcome.TOO_LATE] * (COUNT - 1))
