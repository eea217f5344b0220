"""Rejecting a request in review: recorded, and told to whoever asked."""

from django.db import transaction
from django.utils.translation import gettext as _

from solidair.callcentre.models import CallbackKind
from solidair.callcentre.services import callback_create
from solidair.missions.models import Mission, State
from solidair.missions.services import MissionError, mission_cancel
from solidair.people.models import RoleKind, User
from solidair.people.selectors import has_role


def mission_reject(*, mission: Mission, by: User, reason: str) -> Mission:
    """A moderator rejects a request waiting for review, with a reason.

    The reason is recorded in the mission's history; a web requester is called back to be
    told (until the notifications send it themselves)."""
    if mission.state != State.PENDING_REVIEW:
        raise MissionError(_("Only a request waiting for review can be rejected."))
    if not has_role(by, mission.organisation_id, RoleKind.MODERATOR, RoleKind.COORDINATOR):
        raise MissionError(_("You are not allowed to do this for this mission."))
    with transaction.atomic():
        mission = mission_cancel(mission=mission, by=by, reason=reason)
        request = getattr(mission, "web_request", None)
        if request is not None:
            phone = request.requester_phone or _helpee_phone(mission)
            if phone:
                callback_create(
                    organisation=mission.organisation,
                    kind=CallbackKind.REVIEW,
                    phone=phone,
                    helpee=mission.helpee,
                    mission=mission,
                    name=request.requester_name or mission.helpee.full_name,
                    reason=reason,
                )
    return mission


def _helpee_phone(mission: Mission) -> str:
    phone = mission.helpee.phones.first()
    return phone.number if phone else ""
