"""Reads of the call centre, scoped to the reader's organisations."""

import datetime

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from solidair.callcentre.models import (
    Call,
    Callback,
    CallbackState,
    PlannedShift,
    Shift,
    WelfareConcern,
)
from solidair.missions.models import Mission, MissionEvent, State
from solidair.people.models import Helper, Organisation, User, Verification
from solidair.people.selectors import scoped, staff_organisation_ids
from solidair.places.postcodes import distance_km


def open_shift(user: User) -> Shift | None:
    return Shift.objects.filter(operator=user, ended_at__isnull=True).first()


def on_shift_now(user: User) -> QuerySet[Shift]:
    return scoped(Shift.objects.filter(ended_at__isnull=True), user).select_related("operator")


def callback_queue(user: User) -> QuerySet[Callback]:
    """Callbacks that are due now, and those being called, soonest first."""
    return (
        scoped(Callback.objects.exclude(state=CallbackState.DONE), user)
        .filter(Q(due_at__lte=timezone.now()) | Q(state=CallbackState.CLAIMED))
        .select_related("helpee", "claimed_by")
    )


def callback_for(user: User, pk: int) -> Callback:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(scoped(Callback.objects.all(), user), pk=pk)


def missions_in_trouble(user: User) -> QuerySet[Mission]:
    """Unmatched, released, no-show, helpee unreachable, or published for too long."""
    # Published since: its last move into published (an edit of its text, or a helper
    # who could not reach the helpee, does not start the clock again).
    published_at = (
        MissionEvent.objects.filter(mission=OuterRef("pk"), to_state=State.PUBLISHED)
        .order_by("-at")
        .values("at")[:1]
    )
    missions = scoped(Mission.objects.all(), user).annotate(
        published_since=Coalesce(Subquery(published_at), F("created_at"))
    )
    now = timezone.now()
    late = Q()
    for organisation in Organisation.objects.filter(pk__in=staff_organisation_ids(user)):
        deadline = now - datetime.timedelta(hours=organisation.unmatched_after_hours)
        late |= Q(organisation=organisation, state=State.PUBLISHED, published_since__lt=deadline)
    open_states = [State.PUBLISHED, State.UNMATCHED, State.ASSIGNED, State.IN_PROGRESS]
    return (
        missions.filter(
            Q(state=State.UNMATCHED) | (Q(state__in=open_states) & ~Q(trouble="")) | late
        )
        .select_related("theme", "helpee")
        .order_by("created_at")
    )


def open_concerns(user: User) -> QuerySet[WelfareConcern]:
    return scoped(WelfareConcern.objects.filter(resolved_at__isnull=True), user).select_related(
        "helpee", "callback"
    )


def rota_week(
    organisation: Organisation, first_day: datetime.date
) -> dict[datetime.datetime, list[PlannedShift]]:
    start = timezone.make_aware(datetime.datetime.combine(first_day, datetime.time()))
    plans = PlannedShift.objects.filter(
        organisation=organisation,
        starts_at__gte=start,
        starts_at__lt=start + datetime.timedelta(days=7),
    ).select_related("operator")
    week: dict[datetime.datetime, list[PlannedShift]] = {}
    for plan in plans:
        week.setdefault(timezone.localtime(plan.starts_at), []).append(plan)
    return week


def helpers_by_distance(mission: Mission, limit: int = 20) -> list[tuple[Helper, float]]:
    """Verified helpers of the organisation, nearest to the helpee first.

    A bounding box narrows the rows in the database; the exact distance ranks the rest.
    (The matching work ranks on more than distance; this is the console's fallback.)"""
    helpee = mission.helpee
    reach = mission.theme.reach_km if mission.theme.needs_proximity else 0
    helpers = Helper.objects.filter(
        organisation_id=mission.organisation_id, verification=Verification.APPROVED
    ).select_related("user")
    if reach:
        box = max(reach, 20) / 111.0
        helpers = helpers.filter(
            latitude__range=(helpee.latitude - box, helpee.latitude + box),
            longitude__range=(helpee.longitude - 1.6 * box, helpee.longitude + 1.6 * box),
        )
    ranked = sorted(
        (
            (h, distance_km(helpee.latitude, helpee.longitude, h.latitude, h.longitude))
            for h in helpers
        ),
        key=lambda pair: pair[1],
    )
    return ranked[:limit]


def calls_in_progress(user: User) -> QuerySet[Call]:
    """Calls an operator is on (callers still in the help line's menu or queue are not)."""
    return scoped(
        Call.objects.filter(ended_at__isnull=True, operator__isnull=False), user
    ).select_related("operator", "helpee")


def callers_waiting(user: User) -> list[tuple[str, int]]:
    """How many callers wait in the help line's queue, per language."""
    waiting = (
        scoped(Call.objects.filter(ended_at__isnull=True, operator__isnull=True), user)
        .filter(queued_at__isnull=False, outcome="")
        .values("language")
        .annotate(count=Count("pk"))
        .order_by("language")
    )
    return [(row["language"], row["count"]) for row in waiting]


# A call the telephony put through keeps its banner this long after the phone call
# ended, until the operator says how it ended.
OUTCOME_PENDING_FOR = datetime.timedelta(hours=2)


def my_call(user: User) -> Call | None:
    """The operator's call in progress; else a help line call of theirs that ended on the
    phone and still waits for its outcome."""
    mine = Call.objects.filter(operator=user).select_related("helpee")
    return (
        mine.filter(ended_at__isnull=True).first()
        or mine.filter(
            outcome="",
            provider_sid__isnull=False,
            ended_at__gte=timezone.now() - OUTCOME_PENDING_FOR,
        )
        .order_by("-ended_at")
        .first()
    )
