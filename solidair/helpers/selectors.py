"""Reads for helpers: their feed of missions nearby, and the missions they took.

The feed is a bounding box in SQL on the helpee's coordinates, then the exact distance
in Python on that short list. solidair.matching will provide a faster `feed_for`; the
views only call `feed_cards`, so swapping the source is one line (FEED_SOURCE)."""

import datetime
import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from solidair.helpers.models import Dismissal, IdentityDocument, MissionReport, Outcome
from solidair.missions.models import Mission, State, Timing
from solidair.people.models import Helper, RoleKind, User
from solidair.places.postcodes import distance_km

KM_PER_DEGREE_LATITUDE = 111.2
# Themes that need no proximity can come from anywhere: do not read them all.
FAR_MISSIONS_READ = 500


@dataclass(frozen=True)
class FeedCard:
    """What a helper sees of a mission before accepting it: never who or where exactly."""

    mission_id: int
    theme: str
    postcode: str
    locality: str
    distance_km: float | None  # None: a theme that needs no proximity (by phone)
    asap: bool
    urgent: bool
    day: datetime.date | None
    time_from: datetime.time | None
    time_to: datetime.time | None
    description: str

    @property
    def distance_text(self) -> str:
        if self.distance_km is None:
            return _("by phone, from anywhere")
        if self.distance_km < 1:
            return _("less than 1 km away")
        return _("about %(km)s km away") % {"km": round(self.distance_km)}


def helper_of(user: User) -> Helper | None:
    return Helper.objects.filter(user=user).select_related("organisation").first()


def bounding_box(latitude: float, longitude: float, km: float) -> Q:
    dlat = km / KM_PER_DEGREE_LATITUDE
    dlon = km / (KM_PER_DEGREE_LATITUDE * max(math.cos(math.radians(latitude)), 0.01))
    return Q(
        helpee__latitude__range=(latitude - dlat, latitude + dlat),
        helpee__longitude__range=(longitude - dlon, longitude + dlon),
    )


def open_for(helper: Helper) -> QuerySet[Mission]:
    """Published missions of the helper's organisation, in their themes and languages,
    that they have not set aside."""
    missions = Mission.objects.filter(
        organisation_id=helper.organisation_id, state=State.PUBLISHED, helper__isnull=True
    )
    theme_ids = list(helper.themes.values_list("pk", flat=True))
    if theme_ids:
        missions = missions.filter(theme_id__in=theme_ids)
    missions = missions.filter(helpee__language__in=helper.languages or [""])
    dismissed = Dismissal.objects.filter(helper=helper).values("mission_id")
    return missions.exclude(pk__in=dismissed)


def _description(mission: Mission) -> str:
    text = mission.details or mission.shopping_list or mission.call_times
    if not text and mission.dog_size:
        text = _("A %(size)s dog") % {"size": mission.get_dog_size_display().lower()}
    text = " ".join(text.split())
    return text if len(text) <= 140 else text[:139].rstrip() + "…"


def simple_feed(*, helper: Helper, limit: int = 20) -> list[tuple[Mission, float | None]]:
    """Missions near the helper with their exact distance, soonest then nearest first."""
    near = (
        open_for(helper)
        .filter(theme__needs_proximity=True)
        .filter(bounding_box(helper.latitude, helper.longitude, helper.radius_km))
    )
    far = open_for(helper).filter(theme__needs_proximity=False).order_by("-created_at")
    found: list[tuple[Mission, float | None]] = []
    fields = ("theme", "helpee")
    for mission in near.select_related(*fields):
        km = distance_km(
            helper.latitude, helper.longitude, mission.helpee.latitude, mission.helpee.longitude
        )
        if km <= min(helper.radius_km, mission.theme.reach_km):
            found.append((mission, km))
    found.extend((m, None) for m in far.select_related(*fields)[:FAR_MISSIONS_READ])
    found.sort(key=lambda pair: _soonest_nearest(*pair))
    return found[:limit]


def _soonest_nearest(mission: Mission, km: float | None) -> tuple:
    asap = mission.timing == Timing.ASAP
    return (
        not asap,
        mission.urgency != "urgent",
        mission.day or datetime.date.max,
        mission.time_from or datetime.time.min,
        km if km is not None else math.inf,
        mission.pk,
    )


def matching_feed(*, helper: Helper, limit: int = 20) -> list[tuple[Mission, float | None]]:
    """The matching app's indexed feed, less what this helper set aside."""
    from solidair.matching.selectors import feed_for

    cards = feed_for(helper=helper, limit=limit + 10)
    dismissed = set(Dismissal.objects.filter(helper=helper).values_list("mission_id", flat=True))
    wanted = [card for card in cards if card.mission_id not in dismissed][:limit]
    missions = Mission.objects.select_related("theme", "helpee").in_bulk(
        [card.mission_id for card in wanted]
    )
    return [
        (missions[card.mission_id], None if card.by_phone else card.distance_km)
        for card in wanted
        if card.mission_id in missions
    ]


FEED_SOURCE: Callable[..., list[tuple[Mission, float | None]]] = matching_feed


def feed_cards(helper: Helper, limit: int = 20) -> list[FeedCard]:
    return [
        FeedCard(
            mission_id=mission.pk,
            theme=mission.theme.name,
            postcode=mission.helpee.postcode,
            locality=mission.helpee.city,
            distance_km=km,
            asap=mission.timing == Timing.ASAP,
            urgent=mission.urgency == "urgent",
            day=mission.day,
            time_from=mission.time_from,
            time_to=mission.time_to,
            description=_description(mission),
        )
        for mission, km in FEED_SOURCE(helper=helper, limit=limit)
    ]


def feed_signature(cards: list[FeedCard]) -> str:
    """Changes when the list changes: the page swaps its cards only then."""
    ids = ",".join(str(card.mission_id) for card in cards)
    return hashlib.sha256(ids.encode()).hexdigest()[:16]


def accepted_mission_for(helper: Helper, pk: int) -> Mission:
    """A mission this helper holds now (or has done), or 404 for anyone else."""
    try:
        return Mission.objects.select_related("theme", "helpee", "helper__user").get(
            pk=pk, helper=helper, state__in=(State.ASSIGNED, State.IN_PROGRESS, State.DONE)
        )
    except Mission.DoesNotExist:
        raise Http404 from None


def missions_of(helper: Helper) -> QuerySet[Mission]:
    return (
        Mission.objects.filter(helper=helper)
        .exclude(state=State.CANCELLED)
        .select_related("theme")
        .order_by("-updated_at")
    )


def at_weekly_maximum(helper: Helper) -> bool:
    """The helper has taken as many missions this week as they said they would."""
    from solidair.matching.services import missions_this_week

    return missions_this_week(helper=helper) >= helper.max_missions_per_week


def latest_document(helper: Helper) -> IdentityDocument | None:
    return helper.documents.order_by("-uploaded_at", "-pk").first()


def documents_to_review(user: User) -> QuerySet[IdentityDocument]:
    from solidair.people.models import RoleKind
    from solidair.people.selectors import staff_organisation_ids

    return IdentityDocument.objects.filter(
        outcome=Outcome.PENDING,
        helper__organisation_id__in=staff_organisation_ids(user, (RoleKind.MODERATOR,)),
    ).select_related("helper__user", "helper__organisation")


def document_for_review(user: User, pk: int) -> IdentityDocument:
    """A pending document of the moderator's organisations, or 404."""
    try:
        return documents_to_review(user).get(pk=pk)
    except IdentityDocument.DoesNotExist:
        raise Http404 from None


# What the helper reported (the money, the receipt): for the organisation's operators
# and coordinators only, never for helpers.
REPORT_ROLES = (RoleKind.OPERATOR, RoleKind.COORDINATOR)
RECEIPT_KEEP_DAYS = 60  # unless settings.HELPERS_RECEIPT_KEEP_DAYS says otherwise


def receipt_keep_days() -> int:
    """How long a photo of a receipt is kept after the mission: time enough to settle
    a question about the money, then it goes (the amount and payback stay)."""
    return int(getattr(settings, "HELPERS_RECEIPT_KEEP_DAYS", RECEIPT_KEEP_DAYS))


def report_shown_to(user: User, mission: Mission) -> MissionReport | None:
    """The helper's report of `mission`, if `user` may read it (else None)."""
    from solidair.people.selectors import has_role

    if not has_role(user, mission.organisation_id, *REPORT_ROLES):
        return None
    return MissionReport.objects.filter(mission=mission).first()


def report_for(user: User, mission_pk: int) -> MissionReport:
    """The report of a mission of the user's organisations, or 404 for anyone else."""
    from solidair.people.selectors import scoped

    missions = scoped(Mission.objects.all(), user, REPORT_ROLES)
    try:
        return MissionReport.objects.select_related("mission__helpee").get(
            mission__in=missions, mission_id=mission_pk
        )
    except MissionReport.DoesNotExist:
        raise Http404 from None
