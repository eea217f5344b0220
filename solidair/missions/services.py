"""Every change to a mission: one service per transition (DESIGN.md's lifecycle).

Each checks who acts, moves the state with one conditional UPDATE (so two people
pressing at once cannot both win), and writes the MissionEvent in the same transaction.
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from solidair.missions.models import Mission, MissionEvent, Source, State, Theme, Trouble
from solidair.notifications import messages
from solidair.people.models import STAFF_ROLES, Helpee, Helper, RoleKind, User
from solidair.people.selectors import has_role, is_trusted_operator


class MissionError(Exception):
    """A refusal to show to the person who asked, already translated."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class MissionChanged(MissionError):
    """Saved from a stale copy: someone else changed the mission meanwhile."""

    def __init__(self, message: str, current: Mission):
        super().__init__(message)
        self.current = current


Actor = User | None  # None: Solidair itself (a background job)


@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...]
    target: str
    refused: Promise  # said when the mission is in none of `sources`


PUBLISH = Transition(
    (State.DRAFT, State.PENDING_REVIEW, State.UNMATCHED),
    State.PUBLISHED,
    gettext_lazy("This mission is “%(state)s”: it cannot be published."),
)
SUBMIT = Transition(
    (State.DRAFT,),
    State.PENDING_REVIEW,
    gettext_lazy("This mission is “%(state)s”: it cannot be sent for review."),
)
ESCALATE = Transition(
    (State.PUBLISHED,),
    State.UNMATCHED,
    gettext_lazy("This mission is “%(state)s”: it cannot be marked unmatched."),
)
ASSIGN = Transition(
    (State.PUBLISHED, State.UNMATCHED),
    State.ASSIGNED,
    gettext_lazy("This mission is “%(state)s”: it can no longer be taken."),
)
RELEASE = Transition(
    (State.ASSIGNED, State.IN_PROGRESS),
    State.PUBLISHED,
    gettext_lazy("This mission is “%(state)s”: it cannot be given back."),
)
START = Transition(
    (State.ASSIGNED,),
    State.IN_PROGRESS,
    gettext_lazy("This mission is “%(state)s”: it cannot be started."),
)
COMPLETE = Transition(
    (State.IN_PROGRESS, State.ASSIGNED),
    State.DONE,
    gettext_lazy("This mission is “%(state)s”: it cannot be marked done."),
)
CANCEL = Transition(
    (
        State.DRAFT,
        State.PENDING_REVIEW,
        State.PUBLISHED,
        State.UNMATCHED,
        State.ASSIGNED,
        State.IN_PROGRESS,
    ),
    State.CANCELLED,
    gettext_lazy("This mission is “%(state)s”: it cannot be cancelled."),
)


def _state_label(state: str) -> str:
    return str(State(state).label)


def _deny() -> MissionError:
    return MissionError(_("You are not allowed to do this for this mission."))


def _require_staff(by: Actor, mission: Mission, *kinds: str) -> None:
    if by is not None and not has_role(by, mission.organisation_id, *(kinds or STAFF_ROLES)):
        raise _deny()


def _is_assigned_helper(by: Actor, mission: Mission) -> bool:
    return (
        by is not None
        and mission.helper_id is not None
        and Helper.objects.filter(pk=mission.helper_id, user=by).exists()
    )


def _require_staff_or_assigned_helper(by: Actor, mission: Mission) -> None:
    if _is_assigned_helper(by, mission):
        return
    _require_staff(by, mission)


def _move(
    *,
    mission: Mission,
    transition: Transition,
    by: Actor,
    reason: str = "",
    changes: dict[str, Any] | None = None,
    guard: dict[str, Any] | None = None,
) -> Mission:
    """Move `mission` along `transition` if, in the database, it is still in a source
    state (and matches `guard`); otherwise refuse with the transition's message."""
    with transaction.atomic():
        updated = Mission.objects.filter(
            pk=mission.pk, state__in=transition.sources, **(guard or {})
        ).update(
            state=transition.target,
            version=F("version") + 1,
            updated_at=timezone.now(),
            **(changes or {}),
        )
        if not updated:
            expected_helper = (guard or {}).get("helper_id", mission.helper_id)
            mission.refresh_from_db()
            if mission.state in transition.sources and mission.helper_id != expected_helper:
                raise MissionError(_("This mission has another helper now: nothing was changed."))
            raise MissionError(transition.refused % {"state": _state_label(mission.state)})
        from_state = mission.state
        mission.refresh_from_db()
        MissionEvent.objects.create(
            mission=mission,
            actor=by,
            from_state=from_state,
            to_state=transition.target,
            reason=reason,
        )
        _matching_sync(mission)
    return mission


def _matching_sync(mission: Mission) -> None:
    """Keep the matching index, the waves and the offers in step with the mission."""
    from solidair.matching.services import mission_spot_sync  # matching imports us

    mission_spot_sync(mission=mission)


def _check_source(mission: Mission, transition: Transition) -> None:
    # Said before the permission check so that an illegal move is named as such.
    if mission.state not in transition.sources:
        raise MissionError(transition.refused % {"state": _state_label(mission.state)})


def mission_create(
    *,
    helpee: Helpee,
    theme: Theme,
    by: User | None,
    source: str = Source.PHONE,
    submit: bool = True,
    **fields: Any,
) -> Mission:
    """A new mission for `helpee`. Submitted for review unless `submit` is false; a trusted
    operator, a moderator or a coordinator publishes it directly (see mission_submit).

    A form sends its one-time `submission_token`: submitted twice, it makes one mission."""
    if by is not None and not has_role(by, helpee.organisation_id, *STAFF_ROLES):
        raise _deny()
    token = fields.get("submission_token")
    if token:
        existing = Mission.objects.filter(submission_token=token).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            mission = Mission.objects.create(
                organisation_id=helpee.organisation_id,
                helpee=helpee,
                theme=theme,
                source=source,
                created_by=by,
                **fields,
            )
            MissionEvent.objects.create(mission=mission, actor=by, to_state=State.DRAFT)
            if submit:
                mission = mission_submit(mission=mission, by=by)
    except IntegrityError:
        if token:  # the same form, submitted twice at the same moment
            return Mission.objects.get(submission_token=token)
        raise
    return mission


def can_publish(by: User, mission: Mission) -> bool:
    return has_role(
        by, mission.organisation_id, RoleKind.MODERATOR, RoleKind.COORDINATOR, RoleKind.ADMIN
    ) or is_trusted_operator(by, mission.organisation_id)


def mission_submit(*, mission: Mission, by: Actor) -> Mission:
    """A draft goes to review, or straight to published when `by` may publish.

    Web requests always go to review (DESIGN.md, core loop step 3)."""
    _check_source(mission, SUBMIT)
    _require_staff(by, mission)
    if by is not None and mission.source != Source.WEB and can_publish(by, mission):
        return mission_publish(mission=mission, by=by)
    return _move(mission=mission, transition=SUBMIT, by=by)


def mission_publish(*, mission: Mission, by: Actor, reason: str = "") -> Mission:
    _check_source(mission, PUBLISH)
    if by is not None and not can_publish(by, mission):
        raise _deny()
    return _move(mission=mission, transition=PUBLISH, by=by, reason=reason, changes={"trouble": ""})


def mission_escalate(*, mission: Mission, by: Actor, reason: str) -> Mission:
    """Nobody accepted in time: the operators see it in trouble, the coordinators are told."""
    _check_source(mission, ESCALATE)
    _require_staff(by, mission)
    with transaction.atomic():
        mission = _move(mission=mission, transition=ESCALATE, by=by, reason=reason)
        messages.unmatched(mission)
    return mission


def mission_assign(*, mission: Mission, helper: Helper, by: Actor, reason: str = "") -> Mission:
    """A helper takes the mission, or staff assign one by hand. Exactly one wins."""
    _check_source(mission, ASSIGN)
    helper_takes_it = by is not None and helper.user_id == by.pk
    if helper_takes_it:
        if not (helper.is_verified and helper.organisation_id == mission.organisation_id):
            raise _deny()
    else:
        _require_staff(by, mission, RoleKind.OPERATOR, RoleKind.COORDINATOR, RoleKind.MODERATOR)
        if helper.organisation_id != mission.organisation_id or not helper.is_verified:
            raise MissionError(_("Only a verified helper of this organisation can be assigned."))
    with transaction.atomic():
        mission = _move(
            mission=mission,
            transition=ASSIGN,
            by=by,
            reason=reason,
            changes={"helper": helper, "trouble": "", "door_code": door_code_new()},
            guard={"helper__isnull": True},
        )
        messages.helpee_told_who_comes(mission)
    return mission


def door_code_new() -> str:
    """Four digits the helpee will hear, and the helper will say at the door."""
    return f"{secrets.randbelow(10000):04d}"


def mission_release(
    *, mission: Mission, by: Actor, reason: str, trouble: str = Trouble.RELEASED
) -> Mission:
    """The helper cannot make it (or did not come): back to published, without helper,
    and shown to the operators as in trouble."""
    _check_source(mission, RELEASE)
    _require_staff_or_assigned_helper(by, mission)
    return _move(
        mission=mission,
        transition=RELEASE,
        by=by,
        reason=reason,
        changes={"helper": None, "trouble": trouble, "door_code": ""},
        # Only the helper who was checked: not one who took it since (a stale page).
        guard={"helper_id": mission.helper_id},
    )


def mission_start(*, mission: Mission, by: Actor) -> Mission:
    _check_source(mission, START)
    _require_staff_or_assigned_helper(by, mission)
    return _move(mission=mission, transition=START, by=by, guard={"helper_id": mission.helper_id})


def mission_complete(*, mission: Mission, by: Actor, reason: str = "") -> Mission:
    _check_source(mission, COMPLETE)
    _require_staff_or_assigned_helper(by, mission)
    with transaction.atomic():
        # The door code is valid until the mission ends: it opens no door after.
        mission = _move(
            mission=mission,
            transition=COMPLETE,
            by=by,
            reason=reason,
            changes={"door_code": ""},
            guard={"helper_id": mission.helper_id},
        )
        messages.after_mission_call(mission)
    return mission


def mission_cancel(*, mission: Mission, by: Actor, reason: str) -> Mission:
    _check_source(mission, CANCEL)
    _require_staff(by, mission)
    if not reason.strip():
        raise MissionError(_("Please say why the mission is cancelled."))
    told_helpee = mission.state != State.DRAFT
    with transaction.atomic():
        mission = _move(
            mission=mission,
            transition=CANCEL,
            by=by,
            reason=reason,
            changes={"door_code": ""},
        )
        if told_helpee:
            # The helper read after the write: one who took it a moment before is told too.
            messages.cancelled(mission, mission.helper)
    return mission


EDITABLE_FIELDS = (
    "theme",
    "details",
    "shopping_list",
    "spending_cap",
    "payback",
    "pickup_details",
    "dog_name",
    "dog_size",
    "dog_temperament",
    "call_times",
    "timing",
    "day",
    "time_from",
    "time_to",
    "urgency",
    "recurrence",
)


def mission_update(
    *, mission: Mission, by: User, expected_version: int, changes: dict[str, Any]
) -> Mission:
    """Save an edit made from the copy at `expected_version`.

    If anyone saved meanwhile, nothing is written and MissionChanged carries the
    current mission, so the editor sees the newer values and nothing is overwritten."""
    _require_staff(by, mission)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if not mission.is_open:
        raise MissionError(
            _("This mission is “%(state)s”: it can no longer be changed.")
            % {"state": _state_label(mission.state)}
        )
    updated = Mission.objects.filter(pk=mission.pk, version=expected_version).update(
        version=F("version") + 1, updated_at=timezone.now(), **changes
    )
    mission.refresh_from_db()
    if updated and mission.state == State.PUBLISHED:
        _matching_sync(mission)
    if not updated:
        raise MissionChanged(
            _(
                "Someone else changed this mission while you were editing it. Here it is as it "
                "is now; your changes are shown below so that you can apply them again."
            ),
            current=mission,
        )
    return mission


def mission_report_no_show(*, mission: Mission, by: Actor, reason: str) -> Mission:
    """The helpee called: nobody came. Staff put the mission back, in trouble."""
    _require_staff(by, mission)
    return mission_release(mission=mission, by=by, reason=reason, trouble=Trouble.NO_SHOW)


ACTIONS: dict[str, Callable[..., Mission]] = {
    "no-show": mission_report_no_show,
    "submit": mission_submit,
    "publish": mission_publish,
    "escalate": mission_escalate,
    "release": mission_release,
    "start": mission_start,
    "complete": mission_complete,
    "cancel": mission_cancel,
}
