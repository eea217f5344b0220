"""Writes of matching: keeping the map in step with helpers and missions, dispatching
missions in waves of offers, and helpers saying "not for me"."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import formats, timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from solidair.matching import geo, slots, tasks
from solidair.matching.models import (
    Dispatch,
    DispatchPolicy,
    HelperSpot,
    MissionSpot,
    Offer,
    OfferStatus,
)
from solidair.matching.selectors import Candidate, Target, rank_target, target_for
from solidair.missions.models import Mission, MissionEvent, State
from solidair.notifications.jobs import enqueue_on_commit
from solidair.notifications.recipients import recipient_for_user
from solidair.notifications.services import notify
from solidair.people.models import Helper, Verification

logger = logging.getLogger(__name__)

TAKEN = (State.ASSIGNED, State.IN_PROGRESS, State.DONE)


class MatchingError(Exception):
    """A refusal to show to the person who asked, already translated."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# Keeping the map in step.


def _reliability(helper: Helper) -> float:
    """Missions done over missions taken, where giving one back counts against; a new
    helper starts at 1 (Laplace's rule, so one early release is not a verdict)."""
    done = getattr(helper, "missions_done", None)
    released = getattr(helper, "missions_released", None)
    if done is None or released is None:  # counted from the history
        done = Mission.objects.filter(helper=helper, state=State.DONE).count()
        released = MissionEvent.objects.filter(
            actor_id=helper.user_id,
            from_state__in=[State.ASSIGNED, State.IN_PROGRESS],
            to_state=State.PUBLISHED,
        ).count()
    return (done + 1) / (done + released + 1)


def week_start(now: datetime) -> datetime:
    """Monday 00:00, local time, of the week of `now`."""
    local_day = timezone.localtime(now).date()
    monday = local_day - timedelta(days=local_day.weekday())
    return timezone.make_aware(datetime.combine(monday, datetime.min.time()))


def missions_this_week(*, helper: Helper, now: datetime | None = None) -> int:
    """How many missions `helper` was given this week and still holds or did: what
    their weekly maximum counts (one given back or cancelled does not)."""
    return (
        MissionEvent.objects.filter(
            to_state=State.ASSIGNED,
            at__gte=week_start(now or timezone.now()),
            mission__helper=helper,
        )
        .exclude(mission__state=State.CANCELLED)
        .values("mission")
        .distinct()
        .count()
    )


def helper_spot_sync(*, helper: Helper, now: datetime | None = None) -> HelperSpot:
    """Write where `helper` is, and what they can do, to the map. Call it after every
    change to a helper's profile, availability, themes or identity check."""
    now = now or timezone.now()
    local_day = timezone.localtime(now).date()
    theme_ids = list(helper.themes.values_list("pk", flat=True))
    assigned = MissionEvent.objects.filter(to_state=State.ASSIGNED, mission__helper=helper)
    last_assigned = assigned.order_by("-at").values_list("at", flat=True).first()
    cell_x, cell_y = geo.cell_of(helper.latitude, helper.longitude)
    spot, _created = HelperSpot.objects.update_or_create(
        helper=helper,
        defaults={
            "organisation_id": helper.organisation_id,
            "cell_x": cell_x,
            "cell_y": cell_y,
            "latitude": helper.latitude,
            "longitude": helper.longitude,
            "radius_km": helper.radius_km,
            "language_mask": slots.language_mask(helper.languages),
            "theme_mask": slots.theme_mask(theme_ids),
            "theme_ids": slots.theme_list(theme_ids),
            "verified": helper.verification == Verification.APPROVED,
            # The helpers app may add a pause switch; until then nobody is paused.
            "paused": bool(getattr(helper, "paused", False)),
            "available_now": helper.available_now,
            "week_mask": slots.week_mask(helper.availability),
            "max_per_week": helper.max_missions_per_week,
            "load_week": slots.iso_week(local_day),
            "load_count": missions_this_week(helper=helper, now=now),
            "reliability": _reliability(helper),
            "last_assigned_at": last_assigned,
            "joined_at": helper.created_at,
        },
    )
    return spot


def _starts(mission: Mission) -> tuple[datetime | None, datetime | None]:
    if mission.day is None:
        return None, None
    start = datetime.combine(mission.day, mission.time_from or datetime.min.time())
    end = datetime.combine(mission.day, mission.time_to or datetime.max.time())
    return timezone.make_aware(start), timezone.make_aware(end)


def mission_spot_sync(*, mission: Mission, now: datetime | None = None) -> MissionSpot | None:
    """Put `mission` on the map while it is published, and start dispatching it; take
    it off otherwise, closing its offers. Call it after every change of state (publish,
    assign, release, escalate, cancel) and after an edit of a published mission."""
    now = now or timezone.now()
    mission = Mission.objects.select_related("theme", "helpee").get(pk=mission.pk)
    with transaction.atomic():
        if mission.state != State.PUBLISHED:
            MissionSpot.objects.filter(mission=mission).delete()
            _dispatch_close(mission, now)
            return None
        helpee, theme = mission.helpee, mission.theme
        starts_at, ends_at = _starts(mission)
        cell_x, cell_y = geo.cell_of(helpee.latitude, helpee.longitude)
        published_at = (
            mission.events.filter(to_state=State.PUBLISHED)
            .order_by("-at")
            .values_list("at", flat=True)
            .first()
            or now
        )
        spot, _created = MissionSpot.objects.update_or_create(
            mission=mission,
            defaults={
                "organisation_id": mission.organisation_id,
                "cell_x": cell_x,
                "cell_y": cell_y,
                "latitude": helpee.latitude,
                "longitude": helpee.longitude,
                "theme": theme,
                "language_mask": slots.language_mask(helpee.language),
                "needs_proximity": theme.needs_proximity,
                "reach_km": theme.reach_km,
                "asap": mission.day is None,
                "starts_at": starts_at,
                "ends_at": ends_at,
                "when_day": (mission.day or timezone.localtime(published_at).date()).toordinal(),
                "week_mask": slots.window_mask(mission.day, mission.time_from, mission.time_to)
                if mission.day
                else 0,
                "urgent": mission.urgency == "urgent",
                "recurring": mission.recurrence == "weekly",
                "postcode": helpee.postcode,
                "locality": helpee.city,
                "summary": Truncator(mission.details).chars(140),
                "published_at": published_at,
            },
        )
        _dispatch_start(mission, now)
    return spot


def _dispatch_start(mission: Mission, now: datetime) -> None:
    """Start the waves, unless they are already under way (a published mission edited).

    A mission published again (given back, or after being unmatched) starts a new
    round, which may ask earlier helpers again: all but those who said "not for me"
    and the helper who gave it back."""
    dispatch, created = Dispatch.objects.get_or_create(
        mission=mission, defaults={"started_at": now, "next_wave_at": now}
    )
    if not created:
        restarted = Dispatch.objects.filter(pk=dispatch.pk, finished_at__isnull=False).update(
            round=F("round") + 1, wave=0, started_at=now, next_wave_at=now, finished_at=None
        )
        if not restarted:
            return
        Offer.objects.filter(mission=mission, status=OfferStatus.ACCEPTED).update(
            status=OfferStatus.RELEASED, answered_at=now
        )
    enqueue_on_commit(tasks.dispatch_wave_run, mission.pk)


def _dispatch_close(mission: Mission, now: datetime) -> None:
    Dispatch.objects.filter(mission=mission, finished_at__isnull=True).update(finished_at=now)
    offers = Offer.objects.filter(mission=mission, status=OfferStatus.PENDING)
    if mission.state in TAKEN and mission.helper_id:
        _taker_offer_accept(mission, now)
    offers.update(status=OfferStatus.EXPIRED, answered_at=now)
    # The helper who took it carries one more this week; one who gave it back, less trust.
    helper_ids = {mission.helper_id} if mission.helper_id else set()
    last = mission.events.order_by("-at", "-pk").first()
    if last is not None and last.to_state == State.PUBLISHED and last.actor_id:
        helper_ids |= set(Helper.objects.filter(user_id=last.actor_id).values_list("pk", flat=True))
    for helper in Helper.objects.filter(pk__in=helper_ids):
        helper_spot_sync(helper=helper, now=now)


def _taker_offer_accept(mission: Mission, now: datetime) -> None:
    """The helper who took the mission holds its accepted offer, even when they took it
    from the feed without one: should they give it back, the next round knows whom
    not to ask again."""
    helpee, helper = mission.helpee, mission.helper
    if helper is None:
        return
    offers = Offer.objects.filter(mission=mission, helper=helper)
    if offers.filter(status=OfferStatus.ACCEPTED).exists():
        return
    if offers.filter(status=OfferStatus.PENDING).update(
        status=OfferStatus.ACCEPTED, answered_at=now
    ):
        return
    dispatch = Dispatch.objects.filter(mission=mission).first()
    Offer.objects.update_or_create(
        mission=mission,
        helper=helper,
        round=dispatch.round if dispatch else 1,
        defaults={"status": OfferStatus.ACCEPTED, "answered_at": now},
        create_defaults={
            "wave": 0,
            "distance_km": geo.haversine_km(
                helper.latitude, helper.longitude, helpee.latitude, helpee.longitude
            ),
            "status": OfferStatus.ACCEPTED,
            "sent_at": now,
            "answered_at": now,
        },
    )


def matching_reindex() -> tuple[int, int]:
    """Rebuild the whole map from the helpers and the published missions."""
    helpers = missions = 0
    for helper in Helper.objects.iterator(chunk_size=500):
        helper_spot_sync(helper=helper)
        helpers += 1
    HelperSpot.objects.exclude(helper__in=Helper.objects.all()).delete()
    MissionSpot.objects.exclude(mission__state=State.PUBLISHED).delete()
    for mission in Mission.objects.filter(state=State.PUBLISHED).iterator(chunk_size=500):
        mission_spot_sync(mission=mission)
        missions += 1
    return helpers, missions


# Dispatch in waves.

OFFER_TEXT = gettext_lazy(
    "A mission near you: %(theme)s, %(distance)s km, %(when)s. Open Solidair to accept it."
)
OFFER_BY_PHONE_TEXT = gettext_lazy(
    "Someone would like a call: %(theme)s, %(when)s. Open Solidair to accept it."
)


def dispatch_policy_for(organisation_id: int) -> DispatchPolicy:
    policy = DispatchPolicy.objects.filter(organisation_id=organisation_id).first()
    return policy or DispatchPolicy(organisation_id=organisation_id)


def _wave_radius(policy: DispatchPolicy, target: Target, wave: int) -> float:
    reach = target.reach_km if target.needs_proximity else 20
    return min(float(reach), policy.first_radius_km * 2.0 ** (wave - 1))


def _when(mission: Mission) -> str:
    if mission.day is None:
        return _("as soon as possible")
    day = formats.date_format(mission.day, "l j F")
    if mission.time_from and mission.time_to:
        return _("%(day)s between %(start)s and %(end)s") % {
            "day": day,
            "start": formats.time_format(mission.time_from, "H:i"),
            "end": formats.time_format(mission.time_to, "H:i"),
        }
    return day


def _offer_send(mission: Mission, offer: Offer, helper: Helper) -> None:
    user = helper.user
    with translation.override(user.language):
        params = {
            "theme": mission.theme.name,
            "distance": max(1, round(offer.distance_km)),
            "when": _when(mission),
        }
    notify(
        recipient=recipient_for_user(user, organisation_id=mission.organisation_id),
        key=f"offer:{offer.pk}",
        body=OFFER_TEXT if mission.theme.needs_proximity else OFFER_BY_PHONE_TEXT,
        params=params,
        mission_id=mission.pk,
        urgent=False,  # waits for the end of the helper's quiet hours
    )


def _alert_claim(helper_id: int, now: datetime, cap: int) -> bool:
    """Count one more alert for the helper today, unless they had `cap` already: one
    conditional UPDATE, so that waves of two missions at once (which do not wait for
    each other on PostgreSQL) never alert anyone past the cap."""
    today = timezone.localtime(now).date()
    spot = HelperSpot.objects.filter(helper_id=helper_id)
    if spot.filter(alerts_day=today, alerts_today__lt=cap).update(
        alerts_today=F("alerts_today") + 1, last_alerted_at=now
    ):
        return True
    return bool(
        spot.exclude(alerts_day=today).update(alerts_day=today, alerts_today=1, last_alerted_at=now)
    )


def _alert_unclaim(helper_id: int, now: datetime) -> None:
    today = timezone.localtime(now).date()
    HelperSpot.objects.filter(helper_id=helper_id, alerts_day=today, alerts_today__gt=0).update(
        alerts_today=F("alerts_today") - 1
    )


def dispatch_wave(*, mission_id: int, now: datetime | None = None) -> int:
    """Offer the mission to the next wave of helpers, and plan the wave after it; after
    the last one, or when nobody is left to ask, the mission becomes unmatched.

    Returns how many helpers were offered it. Does nothing unless the mission is
    published and its next wave is due, so a job run twice, or beside the safety
    net, sends one wave."""
    from solidair.missions.services import MissionError, mission_escalate

    now = now or timezone.now()
    mission = (
        Mission.objects.select_related("theme", "helpee", "organisation")
        .filter(pk=mission_id)
        .first()
    )
    if mission is None:
        return 0
    dispatch, _created = Dispatch.objects.get_or_create(
        mission=mission, defaults={"started_at": now, "next_wave_at": now}
    )
    if mission.state != State.PUBLISHED:
        _dispatch_close(mission, now)
        return 0
    policy = dispatch_policy_for(mission.organisation_id)
    wave = dispatch.wave + 1
    with transaction.atomic():
        # Claim the wave: of two runs at once, one moves `wave` on, the other stops.
        claimed = Dispatch.objects.filter(
            pk=dispatch.pk,
            round=dispatch.round,
            wave=dispatch.wave,
            finished_at__isnull=True,
            next_wave_at__lte=now + timedelta(seconds=1),
        ).update(wave=wave, next_wave_at=now + timedelta(minutes=policy.wait_minutes))
        if not claimed:
            return 0
        target = target_for(mission, now=now)
        # Not asked again: whoever was asked in this round, said "not for me", or gave
        # the mission back.
        offered = list(
            Offer.objects.filter(mission=mission)
            .filter(
                Q(round=dispatch.round) | Q(status__in=[OfferStatus.DECLINED, OfferStatus.RELEASED])
            )
            .values_list("helper_id", flat=True)
            .distinct()
        )
        candidates: list[Candidate] = []
        while wave <= policy.waves:
            candidates = rank_target(
                target,
                limit=policy.wave_size,
                radius_km=_wave_radius(policy, target, wave),
                exclude=offered,
                alert_cap=policy.alerts_per_day,
                now=now,
            )
            if candidates or _wave_radius(policy, target, wave) >= _wave_radius(
                policy, target, policy.waves
            ):
                break
            wave += 1  # nobody new within this radius: widen at once
        if not candidates:
            Dispatch.objects.filter(pk=dispatch.pk).update(wave=wave, finished_at=now)
            # Kept in the mission's history, for its staff: their organisation's language.
            with translation.override(mission.organisation.languages[0]):
                reason = (
                    _("No helper accepted after %(waves)s waves of offers.")
                    % {"waves": dispatch.wave}
                    if dispatch.wave
                    else _("No available helper can reach this mission.")
                )
            try:
                mission_escalate(mission=mission, by=None, reason=reason)
            except MissionError:
                pass  # taken or cancelled meanwhile
            mission_spot_sync(mission=mission, now=now)
            return 0
        Dispatch.objects.filter(pk=dispatch.pk).update(wave=wave)
        helpers = Helper.objects.select_related("user").in_bulk([c.helper_id for c in candidates])
        sent = 0
        for candidate in candidates:
            if not _alert_claim(candidate.helper_id, now, policy.alerts_per_day):
                continue  # another mission's wave alerted them up to the cap meanwhile
            try:
                with transaction.atomic():
                    offer = Offer.objects.create(
                        mission=mission,
                        helper_id=candidate.helper_id,
                        round=dispatch.round,
                        wave=wave,
                        distance_km=candidate.distance_km,
                        sent_at=now,
                    )
            except IntegrityError:  # answered meanwhile, from the feed
                _alert_unclaim(candidate.helper_id, now)
                continue
            _offer_send(mission, offer, helpers[candidate.helper_id])
            sent += 1
        enqueue_on_commit(
            tasks.dispatch_wave_run, mission.pk, delay=timedelta(minutes=policy.wait_minutes)
        )
    return sent


def dispatch_overdue(*, now: datetime | None = None) -> int:
    """The safety net: dispatch published missions with no waves yet, or whose next
    wave is overdue (its job was lost). Returns how many waves were sent."""
    now = now or timezone.now()
    grace = now - timedelta(seconds=settings.MATCHING_OVERDUE_SECONDS)
    mission_ids = (
        Mission.objects.filter(state=State.PUBLISHED)
        .filter(
            Q(dispatch__isnull=True)
            | Q(dispatch__finished_at__isnull=True, dispatch__next_wave_at__lte=grace)
        )
        .values_list("pk", flat=True)
    )
    sent = 0
    for mission_id in list(mission_ids[:500]):
        try:
            Dispatch.objects.get_or_create(
                mission_id=mission_id, defaults={"started_at": now, "next_wave_at": now}
            )
            if not MissionSpot.objects.filter(mission_id=mission_id).exists():
                mission_spot_sync(mission=Mission(pk=mission_id), now=now)
            sent += dispatch_wave(mission_id=mission_id, now=now) > 0
        except Exception:  # one broken mission must not stop the others
            logger.exception("Dispatching mission %s failed", mission_id)
    return sent


def offer_decline(*, offer: Offer, helper: Helper, now: datetime | None = None) -> Offer:
    """The helper says "not for me": the mission leaves their feed; the next wave will
    go on without them."""
    if offer.helper_id != helper.pk:
        raise MatchingError(_("This offer was not made to you."))
    Offer.objects.filter(pk=offer.pk, status=OfferStatus.PENDING).update(
        status=OfferStatus.DECLINED, answered_at=now or timezone.now()
    )
    offer.refresh_from_db()
    return offer


def mission_decline(*, mission: Mission, helper: Helper, now: datetime | None = None) -> Offer:
    """ "Not for me" from the feed, offered or not: no round will ask this helper again."""
    now = now or timezone.now()
    if mission.organisation_id != helper.organisation_id:
        raise MatchingError(_("This mission is not offered to you."))
    offers = Offer.objects.filter(mission=mission, helper=helper)
    pending = offers.filter(status=OfferStatus.PENDING).order_by("-round").first()
    if pending is not None:
        return offer_decline(offer=pending, helper=helper, now=now)
    declined = offers.filter(status=OfferStatus.DECLINED).first()
    if declined is not None:
        return declined
    dispatch = Dispatch.objects.filter(mission=mission).first()
    offer, _created = Offer.objects.update_or_create(
        mission=mission,
        helper=helper,
        round=dispatch.round if dispatch else 1,
        defaults={"status": OfferStatus.DECLINED, "answered_at": now},
        create_defaults={
            "wave": 0,
            "distance_km": geo.haversine_km(
                helper.latitude, helper.longitude, mission.helpee.latitude, mission.helpee.longitude
            ),
            "status": OfferStatus.DECLINED,
            "sent_at": now,
            "answered_at": now,
        },
    )
    return offer
