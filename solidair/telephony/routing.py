"""Which operators' phones ring for a waiting caller, and what becomes of each ring.

A caller waits in a queue of their own ("call-<pk>"). Operators on shift in the call's
organisation who speak its language and are free (not in a call, their phone not
ringing, not yet rung for this call) are rung on their own phone, showing the platform
number: the longest idle first, one at a time, or all at once (LineSettings). The
operator hears a whisper and takes the call by pressing 1; of several pressing at once,
exactly one wins (a conditional UPDATE on the call). Each operator is rung at most once
per call, so a missed ring never rings the same phone in a loop; an operator who becomes
free later is rung by the caller's next wait loop.

Rings are placed inside the webhook that asks for them, not in a background job: a
worker's polling would add seconds to every ring while the caller waits, and placing a
call is one short REST request (none at all when simulated)."""

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from django.db import transaction
from django.db.models import DateTimeField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone

from solidair.callcentre.models import Call, Shift
from solidair.languages import speaks
from solidair.notifications.providers.base import ProviderError
from solidair.telephony import dialer
from solidair.telephony.hours import line_settings
from solidair.telephony.models import Ring, RingOutcome, RingStrategy

logger = logging.getLogger(__name__)
T = TypeVar("T")
R = TypeVar("R")

# Phones rung at once with the "simultaneous" strategy, so that the webhook stays short.
MOST_AT_ONCE = 10
# The provider's final statuses of an operator's leg, and what they mean for a ring that
# nobody took: "completed" is an operator who picked up and hung up without pressing 1.
FINAL_STATUSES = {
    "no-answer": RingOutcome.NO_ANSWER,
    "busy": RingOutcome.BUSY,
    "failed": RingOutcome.FAILED,
    "canceled": RingOutcome.NO_ANSWER,
    "completed": RingOutcome.DECLINED,
}


def _url(name: str, **query: object) -> str:
    path = reverse(f"telephony:{name}")
    return path + "?" + "&".join(f"{key}={value}" for key, value in query.items())


def queue_name(call: Call) -> str:
    return f"call-{call.pk}"


def waiting_calls(organisation_id: int, language: str) -> QuerySet[Call]:
    """Callers in the queue: they chose, nobody took them, and they neither hung up nor
    left for the voicemail (which sets the outcome)."""
    return Call.objects.filter(
        organisation_id=organisation_id,
        language=language,
        queued_at__isnull=False,
        operator__isnull=True,
        ended_at__isnull=True,
        outcome="",
    )


def waiting(call: Call) -> bool:
    return waiting_calls(call.organisation_id, call.language).filter(pk=call.pk).exists()


def queue_position(call: Call) -> int:
    """1 for the caller who has waited longest in this organisation and language. Each
    call has a queue of its own, so the provider's QueuePosition is always 1."""
    if call.queued_at is None:
        return 1
    earlier = Q(queued_at__lt=call.queued_at) | Q(queued_at=call.queued_at, pk__lt=call.pk)
    return waiting_calls(call.organisation_id, call.language).filter(earlier).count() + 1


def free_shifts(call: Call) -> QuerySet[Shift]:
    """Open shifts that may ring for this call, the longest idle first: idle since the
    end of the operator's last call, or since their shift started."""
    in_a_call = Call.objects.filter(operator__isnull=False, ended_at__isnull=True)
    ringing = Ring.objects.filter(outcome=RingOutcome.RINGING)
    last_call_ended = (
        Call.objects.filter(operator=OuterRef("operator"), ended_at__isnull=False)
        .order_by("-ended_at")
        .values("ended_at")[:1]
    )
    return (
        Shift.objects.filter(
            organisation_id=call.organisation_id,
            ended_at__isnull=True,
            **speaks("languages", call.language),
        )
        .exclude(phone="")
        .exclude(operator__in=in_a_call.values("operator"))
        .exclude(operator__in=ringing.values("operator"))
        .exclude(operator__in=Ring.objects.filter(call=call).values("operator"))
        .annotate(
            idle_since=Greatest(
                "started_at",
                Coalesce(Subquery(last_call_ended, output_field=DateTimeField()), "started_at"),
            )
        )
        .order_by("idle_since", "pk")
    )


def _rings_create(call_pk: int, strategy: str) -> list[Ring]:
    with transaction.atomic():
        call = (
            Call.objects.select_for_update()
            .filter(
                pk=call_pk,
                queued_at__isnull=False,
                operator__isnull=True,
                ended_at__isnull=True,
                outcome="",
            )
            .first()
        )
        if call is None:
            return []
        one_at_a_time = strategy != RingStrategy.SIMULTANEOUS
        if one_at_a_time and call.rings.filter(outcome=RingOutcome.RINGING).exists():
            return []
        rings: list[Ring] = []
        for shift in free_shifts(call).select_related("operator"):
            # Two callers must not ring the same free operator at the same moment.
            locked = Shift.objects.select_for_update(skip_locked=True).filter(
                pk=shift.pk, ended_at__isnull=True
            )
            if not list(locked.values_list("pk", flat=True)):
                continue
            if Ring.objects.filter(operator=shift.operator, outcome=RingOutcome.RINGING).exists():
                continue
            rings.append(Ring.objects.create(call=call, shift=shift, operator=shift.operator))
            if one_at_a_time or len(rings) >= MOST_AT_ONCE:
                break
        return rings


_pool: ThreadPoolExecutor | None = None


def _provider_pool() -> ThreadPoolExecutor:
    """Threads for the provider's REST requests that a webhook makes for several phones
    at once (ring them all, stop them all): one round trip instead of one per phone,
    within the provider's 15 seconds. They touch no database."""
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=MOST_AT_ONCE, thread_name_prefix="provider")
    return _pool


def _in_parallel(work: Callable[[T], R], items: list[T]) -> list[R]:
    if len(items) <= 1:
        return [work(item) for item in items]
    return list(_provider_pool().map(work, items))


def _rings_place(rings: list[Ring], seconds: int) -> list[bool]:
    """Place the calls to these operators' phones (at once when several)."""
    for ring in rings:  # read here, not in the threads
        ring.call.organisation  # noqa: B018

    def place(ring: Ring) -> str | ProviderError:
        try:
            return dialer.place_call(
                organisation=ring.call.organisation,
                to=ring.shift.phone,
                path=_url("whisper", ring=ring.pk),
                status_path=_url("ring_status", ring=ring.pk),
                timeout=seconds,
            )
        except ProviderError as error:
            return error

    results = []
    for ring, placed in zip(rings, _in_parallel(place, rings), strict=True):
        if isinstance(placed, ProviderError):
            logger.warning(
                "Could not ring operator %s for call %s: %s", ring.operator_id, ring.call_id, placed
            )
            Ring.objects.filter(pk=ring.pk, outcome=RingOutcome.RINGING).update(
                outcome=RingOutcome.FAILED, ended_at=timezone.now()
            )
            results.append(False)
            continue
        Ring.objects.filter(pk=ring.pk, provider_sid__isnull=True).update(provider_sid=placed)
        ring.provider_sid = placed
        results.append(True)
    return results


def operators_ring(*, call: Call) -> list[Ring]:
    """Ring the next free operator (or every free one) for a waiting call. Nothing when
    the call is not waiting, or (one at a time) when a phone already rings for it."""
    line = line_settings(call.organisation)
    placed: list[Ring] = []
    while True:
        rings = _rings_create(call.pk, line.ring_strategy)
        if not rings:
            return placed
        results = _rings_place(rings, line.ring_seconds)
        placed.extend(ring for ring, ok in zip(rings, results, strict=True) if ok)
        if line.ring_strategy == RingStrategy.SIMULTANEOUS or all(results):
            return placed
        # That phone could not be rung: the next operator, at once.


def _hang_up(sid: str | None) -> None:
    if not sid:
        return
    try:
        dialer.end_call(sid)
    except ProviderError as error:
        logger.warning("Could not stop the ring %s: %s", sid, error)


def rings_stop(*, call_pk: int, outcome: str) -> int:
    """Every phone still ringing for this call stops; the rings keep why."""
    with transaction.atomic():
        stopped = list(
            Ring.objects.select_for_update().filter(call_id=call_pk, outcome=RingOutcome.RINGING)
        )
        Ring.objects.filter(pk__in=[ring.pk for ring in stopped]).update(
            outcome=outcome, ended_at=timezone.now()
        )
    _in_parallel(_hang_up, [ring.provider_sid for ring in stopped])
    return len(stopped)


def ring_for(pk: str, sid: str) -> Ring | None:
    """The ring a webhook of an operator's leg is about: its pk in the query, and the
    provider's id of that leg (learnt on its first webhook when the REST answer was slow)."""
    if not pk.isdigit() or not sid:
        return None
    ring = (
        Ring.objects.select_related("call__organisation", "operator", "shift").filter(pk=pk).first()
    )
    if ring is None:
        return None
    if ring.provider_sid is None:
        Ring.objects.filter(pk=ring.pk, provider_sid__isnull=True).update(provider_sid=sid)
        ring.refresh_from_db()
    return ring if ring.provider_sid == sid else None


def still_ringing(ring: Ring) -> bool:
    """The ring may still take its call: nobody took it and the caller still waits."""
    fresh = Ring.objects.filter(pk=ring.pk).values_list("outcome", flat=True).first()
    return fresh == RingOutcome.RINGING and waiting(ring.call)


def why_not(ring: Ring) -> str:
    """Why an operator's leg cannot take the call: "taken" by another operator, or the
    caller is "gone"."""
    operator = Call.objects.filter(pk=ring.call_id).values_list("operator", flat=True).first()
    return "taken" if operator is not None else "gone"


def ring_take(*, ring: Ring) -> bool:
    """The operator pressed 1. True when the call is theirs: of several operators
    pressing at once, the first conditional UPDATE wins and the others are too late.
    A retried webhook of the winner wins again."""
    now = timezone.now()
    with transaction.atomic():
        if not Ring.objects.filter(pk=ring.pk, outcome=RingOutcome.RINGING).update(
            outcome=RingOutcome.TAKEN
        ):
            return _taken_by(ring)
        won = Call.objects.filter(
            pk=ring.call_id, operator__isnull=True, ended_at__isnull=True, outcome=""
        ).update(operator=ring.operator_id, answered_at=now)
        if not won:
            Ring.objects.filter(pk=ring.pk).update(outcome=RingOutcome.TOO_LATE, ended_at=now)
            return False
    rings_stop(call_pk=ring.call_id, outcome=RingOutcome.TOO_LATE)
    return True


# An operator's <Dial><Queue> connects them to the caller within a second or two; a
# caller still in the queue this long after the take was never connected to them.
BRIDGE_GRACE_SECONDS = 20


def take_undo(*, call: Call) -> bool:
    """The operator pressed 1 but was never connected to the caller (their phone lost
    the network, or hung up, before the bridge; or the caller left the queue at that
    moment): the call is nobody's again, so that the next operator rings and a caller
    who hangs up becomes a callback. True when it was undone."""
    now = timezone.now()
    with transaction.atomic():
        locked = (
            Call.objects.select_for_update()
            .filter(pk=call.pk, ended_at__isnull=True, operator__isnull=False)
            .first()
        )
        if locked is None:
            return False
        Call.objects.filter(pk=locked.pk).update(operator=None, answered_at=None)
        taken = Ring.objects.filter(call_id=locked.pk, outcome=RingOutcome.TAKEN)
        taken.filter(ended_at__isnull=True).update(ended_at=now)
        taken.update(outcome=RingOutcome.FAILED)
    logger.warning("Call %s was taken but never connected: given back to the queue", call.pk)
    return True


def take_stuck(call: Call) -> bool:
    """Taken, yet the caller still waits in the queue long after: never connected."""
    return (
        call.operator_id is not None
        and call.answered_at is not None
        and (timezone.now() - call.answered_at).total_seconds() > BRIDGE_GRACE_SECONDS
    )


def _taken_by(ring: Ring) -> bool:
    """This ring already took the call, which is still going on (a retried webhook)."""
    return (
        Ring.objects.filter(pk=ring.pk, outcome=RingOutcome.TAKEN).exists()
        and Call.objects.filter(
            pk=ring.call_id, operator=ring.operator_id, ended_at__isnull=True
        ).exists()
    )


def ring_decline(*, ring: Ring) -> None:
    """The operator pressed another key, or nothing (their voicemail answered): the next
    operator rings."""
    if Ring.objects.filter(pk=ring.pk, outcome=RingOutcome.RINGING).update(
        outcome=RingOutcome.DECLINED, ended_at=timezone.now()
    ):
        operators_ring(call=ring.call)


def ring_status_record(*, ring: Ring, status: str) -> None:
    """The provider's last word on an operator's leg. A ring nobody took ends, and the
    next operator rings; a taken ring only records when the operator hung up."""
    outcome = FINAL_STATUSES.get(status)
    if outcome is None:
        return
    now = timezone.now()
    ended = Ring.objects.filter(pk=ring.pk, outcome=RingOutcome.RINGING).update(
        outcome=outcome, ended_at=now
    )
    Ring.objects.filter(pk=ring.pk, ended_at__isnull=True).update(ended_at=now)
    if ended:
        operators_ring(call=ring.call)
