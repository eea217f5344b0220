"""Reads for helpers: their feed of missions nearby, and the missions they took.

The feed comes from the matching app's indexed search (`matching.selectors.feed_for`);
this module turns it into cards that never hold the helpee."""

import datetime
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from solidair.helpers.models import Dismissal, IdentityDocument, MissionReport, Outcome
from solidair.missions.models import Mission, State, Timing
from solidair.people.models import Helper, RoleKind, User


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


def _description(mission: Mission) -> str:
    text = mission.details or mission.shopping_list or mission.call_times
    if not text and mission.dog_size:
        text = _("A %(size)s dog") % {"size": mission.get_dog_size_display().lower()}
    text = " ".join(text.split())
    return text if len(text) <= 140 else text[:139].rstrip() + "…"


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
        for mission, km in matching_feed(helper=helper, limit=limit)
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
