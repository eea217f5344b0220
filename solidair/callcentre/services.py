"""Writes of the call centre: shifts, the rota, listening calls, callbacks, welfare
concerns, merges. Each checks who acts and changes the data in one transaction."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from solidair.callcentre.models import (
    CLAIM_EXPIRES,
    Call,
    Callback,
    CallbackAttempt,
    CallbackKind,
    CallbackState,
    HelpeeMerge,
    HelpLine,
    Outcome,
    PlannedShift,
    Shift,
    SupportCall,
    WelfareConcern,
)
from solidair.missions.models import Mission
from solidair.notifications import messages
from solidair.people.models import (
    STAFF_ROLES,
    Helpee,
    HelpeePhone,
    Organisation,
    RoleKind,
    User,
)
from solidair.people.selectors import has_role

FAILED_TRIES_BEFORE_CONCERN = 3


class CallcentreError(Exception):
    """A refusal to show to the operator, already translated."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _require(by: User, organisation_id: int, *kinds: str) -> None:
    if not has_role(by, organisation_id, *(kinds or STAFF_ROLES)):
        raise CallcentreError(_("You are not allowed to do this in this organisation."))


def shift_start(
    *, operator: User, organisation: Organisation, languages: list[str], phone: str
) -> Shift:
    _require(operator, organisation.pk, RoleKind.OPERATOR)
    already = CallcentreError(_("You are already on shift."))
    if Shift.objects.filter(operator=operator, ended_at__isnull=True).exists():
        raise already
    try:
        with transaction.atomic():
            return Shift.objects.create(
                organisation=organisation, operator=operator, languages=languages, phone=phone
            )
    except IntegrityError:  # "Start my shift" pressed twice at once
        raise already from None


def shift_end(*, operator: User) -> None:
    """The shift ends, and the callbacks the operator had taken but not recorded go back
    to the queue for the others."""
    Shift.objects.filter(operator=operator, ended_at__isnull=True).update(ended_at=timezone.now())
    Callback.objects.filter(state=CallbackState.CLAIMED, claimed_by=operator).update(
        state=CallbackState.OPEN, claimed_by=None, claimed_at=None
    )


def rota_plan(
    *, organisation: Organisation, by: User, operator: User, hours: list[datetime.datetime]
) -> int:
    """Plan `operator` for each of `hours` (whole hours). Returns how many were new."""
    _require(by, organisation.pk, RoleKind.COORDINATOR)
    _require(operator, organisation.pk, RoleKind.OPERATOR)
    created = 0
    for hour in hours:
        _plan, new = PlannedShift.objects.get_or_create(
            organisation=organisation,
            operator=operator,
            starts_at=hour.replace(minute=0, second=0, microsecond=0),
        )
        created += new
    return created


def rota_unplan(*, planned: PlannedShift, by: User) -> None:
    _require(by, planned.organisation_id, RoleKind.COORDINATOR)
    planned.delete()


def callback_create(
    *,
    organisation: Organisation,
    kind: str,
    phone: str,
    helpee: Helpee | None = None,
    mission: Mission | None = None,
    name: str = "",
    reason: str = "",
    due_at: datetime.datetime | None = None,
    recording_url: str = "",
) -> Callback:
    return Callback.objects.create(
        organisation=organisation,
        kind=kind,
        phone=phone,
        helpee=helpee,
        mission=mission,
        name=name or (helpee.full_name if helpee else ""),
        reason=reason,
        due_at=due_at or timezone.now(),
        recording_url=recording_url,
    )


def support_call_log(
    *,
    organisation: Organisation,
    by: User,
    duration_minutes: int,
    mood: int,
    helpee: Helpee | None = None,
    caller_name: str = "",
    caller_phone: str = "",
    referral: HelpLine | None = None,
    notes: str = "",
    follow_up_at: datetime.datetime | None = None,
) -> SupportCall:
    """Log a listening call; a wanted follow-up joins the callback queue at its time."""
    _require(by, organisation.pk, RoleKind.OPERATOR, RoleKind.COORDINATOR)
    if follow_up_at is not None and not (helpee or caller_phone):
        raise CallcentreError(_("A follow-up call needs a phone number."))
    with transaction.atomic():
        call = SupportCall.objects.create(
            organisation=organisation,
            operator=by,
            helpee=helpee,
            caller_name=caller_name,
            caller_phone=caller_phone,
            duration_minutes=duration_minutes,
            mood=mood,
            referral=referral,
            notes=notes,
        )
        if follow_up_at is not None:
            phone = caller_phone or first_phone(helpee)
            callback_create(
                organisation=organisation,
                kind=CallbackKind.FOLLOW_UP,
                phone=phone,
                helpee=helpee,
                name=caller_name,
                reason=notes,
                due_at=follow_up_at,
            )
    return call


def first_phone(helpee: Helpee | None) -> str:
    if helpee is None:
        return ""
    phone = helpee.phones.first()
    return phone.number if phone else ""


def callback_claim(*, callback: Callback, by: User) -> Callback:
    """Take a callback. Of several operators clicking at once, exactly one gets it."""
    _require(by, callback.organisation_id, RoleKind.OPERATOR, RoleKind.COORDINATOR)
    now = timezone.now()
    # Open, or claimed by someone who has surely moved on (CLAIM_EXPIRES).
    takeable = Q(state=CallbackState.OPEN) | Q(
        state=CallbackState.CLAIMED, claimed_at__lt=now - CLAIM_EXPIRES
    )
    claimed = (
        Callback.objects.filter(takeable, pk=callback.pk)
        .exclude(claimed_by=by)
        .update(state=CallbackState.CLAIMED, claimed_by=by, claimed_at=now)
    )
    callback.refresh_from_db()
    if not claimed:
        if callback.state == CallbackState.CLAIMED and callback.claimed_by_id == by.pk:
            return callback
        raise CallcentreError(_("Another operator is already calling this person back."))
    return callback


def callback_release(*, callback: Callback, by: User) -> None:
    Callback.objects.filter(pk=callback.pk, state=CallbackState.CLAIMED, claimed_by=by).update(
        state=CallbackState.OPEN, claimed_by=None, claimed_at=None
    )


def callback_record(
    *,
    callback: Callback,
    by: User,
    outcome: str,
    notes: str = "",
    retry_at: datetime.datetime | None = None,
) -> CallbackAttempt:
    """Record a try. Three failed tries to reach a helpee raise a welfare concern."""
    if callback.state != CallbackState.CLAIMED or callback.claimed_by_id != by.pk:
        raise CallcentreError(_("Claim this callback before recording a call."))
    with transaction.atomic():
        # Still claimed by them in the database: the form sent twice records one try.
        locked = (
            Callback.objects.select_for_update()
            .filter(pk=callback.pk, state=CallbackState.CLAIMED, claimed_by=by)
            .first()
        )
        if locked is None:
            raise CallcentreError(_("This call is already recorded."))
        attempt = CallbackAttempt.objects.create(
            callback=callback, operator=by, outcome=outcome, notes=notes
        )
        failed = outcome != Outcome.REACHED
        again = failed and retry_at is not None
        Callback.objects.filter(pk=callback.pk).update(
            state=CallbackState.OPEN if again else CallbackState.DONE,
            due_at=retry_at if again else callback.due_at,
            claimed_by=None,
            claimed_at=None,
            failed_tries=F("failed_tries") + (1 if failed else 0),
        )
        callback.refresh_from_db()
        if (
            failed
            and callback.failed_tries == FAILED_TRIES_BEFORE_CONCERN
            and callback.helpee_id is not None
        ):
            concern = WelfareConcern.objects.create(
                organisation_id=callback.organisation_id,
                helpee_id=callback.helpee_id,
                callback=callback,
            )
            messages.welfare_concern(
                concern.pk,
                concern.organisation,
                callback.helpee.postcode if callback.helpee else "",
            )
    return attempt


def welfare_resolve(*, concern: WelfareConcern, by: User, resolution: str) -> None:
    _require(by, concern.organisation_id, RoleKind.COORDINATOR)
    if not resolution.strip():
        raise CallcentreError(_("Please say what was done."))
    WelfareConcern.objects.filter(pk=concern.pk, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=by, resolution=resolution
    )


def helpee_merge(*, kept: Helpee, removed: Helpee, by: User) -> Helpee:
    """One person recorded twice: keep `kept`, move everything of `removed` onto it."""
    _require(by, kept.organisation_id, RoleKind.MODERATOR, RoleKind.COORDINATOR)
    if kept.pk == removed.pk or kept.organisation_id != removed.organisation_id:
        raise CallcentreError(_("Choose two different helpees of the same organisation."))
    with transaction.atomic():
        # Both rows locked, read fresh: an edit made meanwhile is neither lost nor
        # overwritten, and nothing is added to the removed one while it moves.
        locked = {
            h.pk: h for h in Helpee.objects.select_for_update().filter(pk__in=[kept.pk, removed.pk])
        }
        if len(locked) != 2:
            raise CallcentreError(_("Choose two different helpees of the same organisation."))
        kept, removed = locked[kept.pk], locked[removed.pk]
        # Every record that points at the removed helpee (missions, calls, messages,
        # callbacks, the access log…) now points at the kept one; phones apart.
        for relation in Helpee._meta.related_objects:
            model = relation.related_model
            if model is HelpeePhone or isinstance(model, str):
                continue
            model._default_manager.filter(**{relation.field.name: removed}).update(
                **{relation.field.name: kept}
            )
        known = set(kept.phones.values_list("number", flat=True))
        for phone in removed.phones.all():
            if phone.number not in known:
                phone.helpee = kept
                phone.save(update_fields=["helpee"])
        copied = {
            field: getattr(removed, field)
            for field in ("notes_for_helpers", "emergency_contact_name", "emergency_contact_phone")
            if not getattr(kept, field) and getattr(removed, field)
        }
        if copied:
            Helpee.objects.filter(pk=kept.pk).update(**copied)
            kept.refresh_from_db()
        HelpeeMerge.objects.create(
            organisation_id=kept.organisation_id,
            kept=kept,
            removed_name=removed.full_name,
            removed_pk=removed.pk,
            by=by,
        )
        removed.delete()
    return kept


def helpee_place(*, helpee: Helpee, by: User, latitude: float, longitude: float) -> None:
    """Put the helpee's door where the operator placed it on the map."""
    _require(by, helpee.organisation_id)
    Helpee.objects.filter(pk=helpee.pk).update(
        latitude=latitude, longitude=longitude, location_source="manual"
    )


def call_take(*, operator: User, organisation: Organisation, caller: str) -> Call:
    """The operator answers a call (typed in while the telephony is not connected).

    `caller` is E.164, or empty when the number is withheld."""
    _require(operator, organisation.pk, RoleKind.OPERATOR)
    now = timezone.now()
    Call.objects.filter(operator=operator, ended_at__isnull=True).update(ended_at=now)
    helpee = (
        Helpee.objects.filter(organisation=organisation, phones__number=caller).first()
        if caller
        else None
    )
    return Call.objects.create(
        organisation=organisation,
        operator=operator,
        caller=caller,
        helpee=helpee,
        language=helpee.language if helpee else "",
        started_at=now,
        answered_at=now,
    )


def call_end(*, call: Call, by: User, outcome: str) -> None:
    if call.operator_id != by.pk:
        raise CallcentreError(_("This is not your call."))
    Call.objects.filter(pk=call.pk, ended_at__isnull=True).update(
        ended_at=timezone.now(), outcome=outcome
    )


def mission_report_unreachable(*, mission: Mission, by: User, note: str = "") -> Mission:
    """The assigned helper rang and called, and the helpee did not answer: the mission
    stays with the helper, shows in the operators' missions in trouble, and the helpee
    joins the callback queue."""
    from solidair.missions.models import State, Trouble
    from solidair.missions.services import MissionError

    is_helper = mission.helper is not None and mission.helper.user_id == by.pk
    if not (is_helper or has_role(by, mission.organisation_id, *STAFF_ROLES)):
        raise MissionError(_("You are not allowed to do this for this mission."))
    with transaction.atomic():
        under_way = Mission.objects.filter(
            pk=mission.pk, state__in=[State.ASSIGNED, State.IN_PROGRESS]
        )
        if is_helper and mission.helper_id is not None:  # still theirs: not a stale page
            under_way = under_way.filter(helper_id=mission.helper_id)
        updated = under_way.update(trouble=Trouble.UNREACHABLE, updated_at=timezone.now())
        if not updated:
            raise MissionError(_("This mission is no longer under way."))
        callback_create(
            organisation=mission.organisation,
            kind=CallbackKind.UNREACHABLE,
            phone=first_phone(mission.helpee),
            helpee=mission.helpee,
            mission=mission,
            reason=note,
        )
    mission.refresh_from_db()
    return mission


def mission_feedback_by_phone(*, mission_id: int, received: bool) -> None:
    """The helpee answered the after-mission call: 1 (received) closes it; 2 asks for an
    operator, who calls back. Pressed twice, it does it once."""
    mission = Mission.objects.select_related("helpee", "organisation").get(pk=mission_id)
    if received:
        Mission.objects.filter(pk=mission_id, helpee_confirmed_at__isnull=True).update(
            helpee_confirmed_at=timezone.now()
        )
        return
    if not Callback.objects.filter(mission=mission, kind=CallbackKind.FOLLOW_UP).exists():
        callback_create(
            organisation=mission.organisation,
            kind=CallbackKind.FOLLOW_UP,
            phone=first_phone(mission.helpee),
            helpee=mission.helpee,
            mission=mission,
            reason=_("Asked to speak to an operator after the mission."),
        )


def mission_door_alert(*, mission: Mission, by: User) -> None:
    """The helpee doubts the person at the door: recorded, and the coordinators alerted."""
    from solidair.missions.models import MissionEvent, State

    _require(by, mission.organisation_id, RoleKind.OPERATOR, RoleKind.COORDINATOR)
    if mission.state not in (State.ASSIGNED, State.IN_PROGRESS):
        raise CallcentreError(_("No helper is on the way for this mission."))
    with transaction.atomic():
        MissionEvent.objects.create(
            mission=mission,
            actor=by,
            from_state=mission.state,
            to_state=mission.state,
            reason=_("The helpee said the person at the door is not their volunteer."),
        )
        messages.not_my_volunteer(mission, by=by)
