"""Masked calls between a mission's helper and its helpee through the platform number:
each sees only the organisation's help line number, never the other's.

- The helper presses "Call the helpee": Solidair rings the helper's own phone; when they
  answer, it says who it connects them to and dials the helpee from the line's number.
- The helpee calls the line from one of their phones while their mission is active: the
  helper's phone rings (showing the line's number), the helper hears who calls and takes
  the call by pressing 1, so that their voicemail never takes it; otherwise the helpee is
  put through to the operators.

Only while the mission is assigned or in progress. Each MaskedCall is keyed on the
provider's id of its first leg, so a retried webhook changes nothing twice."""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from twilio.twiml.voice_response import VoiceResponse

from solidair.callcentre.models import Call, CallOutcome
from solidair.missions.models import Mission, State
from solidair.notifications.providers.base import ProviderError
from solidair.notifications.providers.voice import say
from solidair.people.models import Helper
from solidair.telephony import dialer
from solidair.telephony.models import MaskedCall, MaskedDirection

logger = logging.getLogger(__name__)

ACTIVE = (State.ASSIGNED, State.IN_PROGRESS)
# How long the helper's own phone rings when they asked for the call.
HELPER_RINGS_SECONDS = 30
# How long the helpee's phone rings once the helper is on the line.
HELPEE_RINGS_SECONDS = 30
# How long the helper's phone rings when their helpee calls the line.
HELPER_ANSWERS_SECONDS = 20
# A helper who pressed the button again within this time is told we are calling already.
CALLING_AGAIN_AFTER = timedelta(minutes=2)
# The provider's words for a call that did not connect.
NOT_CONNECTED = ("no-answer", "busy", "failed", "canceled")
FINAL = ("completed", *NOT_CONNECTED)


class MaskedCallError(Exception):
    """A refusal to show to the helper, already translated."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _url(name: str, **query: object) -> str:
    """A path: the provider resolves it against the webhook's own address."""
    path = reverse(f"telephony:{name}")
    return path + "?" + "&".join(f"{key}={value}" for key, value in query.items())


def _say(node: VoiceResponse, text: str, language: str) -> None:
    say(node, text, language)


def _hang_up(text: str = "", language: str = "fr") -> str:
    response = VoiceResponse()
    if text:
        _say(response, text, language)
    response.hangup()
    return str(response)


# The helper calls the helpee.


def available(mission: Mission, helper: Helper) -> bool:
    """Whether the helper can call the helpee through the line: then the mission page
    shows the button instead of the helpee's number."""
    return bool(mission.organisation.hotline_number and helper.user.phone)


def masked_call_start(*, mission: Mission, helper: Helper) -> MaskedCall:
    """Ring the helper's own phone; when they answer they are put through to the helpee
    (see `bridge_twiml`). Only the mission's helper, only while it is under way."""
    if mission.helper_id != helper.pk:
        raise MaskedCallError(_("Only the helper of this mission can call its helpee."))
    if not helper.user.phone:
        raise MaskedCallError(
            _(
                "We have no phone number for you, so Solidair cannot call you. "
                "Please ask the help line to add it."
            )
        )
    organisation = mission.organisation
    if not organisation.hotline_number:
        raise MaskedCallError(
            _("The help line has no number yet: Solidair cannot put you through.")
        )
    if not mission.helpee.phones.exists():
        raise MaskedCallError(_("The helpee has no phone number."))
    now = timezone.now()
    with transaction.atomic():
        locked = Mission.objects.select_for_update().get(pk=mission.pk)
        if locked.state not in ACTIVE or locked.helper_id != helper.pk:
            raise MaskedCallError(
                _("This mission has ended: Solidair no longer puts you through to the helpee.")
            )
        calling = MaskedCall.objects.filter(
            mission=locked,
            direction=MaskedDirection.HELPER_TO_HELPEE,
            ended_at__isnull=True,
            started_at__gte=now - CALLING_AGAIN_AFTER,
        )
        if calling.exists():
            raise MaskedCallError(_("We are already calling you: please answer your phone."))
        masked = MaskedCall.objects.create(
            mission=locked, direction=MaskedDirection.HELPER_TO_HELPEE, status="queued"
        )
    try:
        sid = dialer.place_call(
            organisation=organisation,
            to=helper.user.phone,
            path=_url("masked_bridge", call=masked.pk),
            status_path=_url("masked_status", call=masked.pk),
            timeout=HELPER_RINGS_SECONDS,
        )
    except ProviderError as error:
        logger.warning("Masked call %s could not be placed: %s", masked.pk, error)
        MaskedCall.objects.filter(pk=masked.pk).update(status="failed", ended_at=timezone.now())
        raise MaskedCallError(
            _("The call could not be placed. Please try again in a minute.")
        ) from None
    MaskedCall.objects.filter(pk=masked.pk).update(provider_sid=sid, status="ringing")
    masked.provider_sid, masked.status = sid, "ringing"
    return masked


def _masked(pk: str, direction: str | None = None) -> MaskedCall | None:
    if not pk.isdigit():
        return None
    found = MaskedCall.objects.select_related(
        "mission__organisation", "mission__helpee", "mission__helper__user"
    ).filter(pk=int(pk))
    return found.filter(direction=direction).first() if direction else found.first()


def _first_leg(masked: MaskedCall, sid: str) -> bool:
    """Is `sid` the call this masked call started with? The provider may ask before
    place_call has returned its id: the first sid it gives is then kept."""
    if not sid:
        return False
    if masked.provider_sid is None:
        MaskedCall.objects.filter(pk=masked.pk, provider_sid__isnull=True).update(provider_sid=sid)
        masked.refresh_from_db(fields=["provider_sid"])
    return masked.provider_sid == sid


def bridge_twiml(*, pk: str, sid: str) -> str:
    """The helper answered Solidair's call: tell them whom they are put through to, and
    dial the helpee from the line's number."""
    masked = _masked(pk, MaskedDirection.HELPER_TO_HELPEE)
    if masked is None or not _first_leg(masked, sid):
        return _hang_up()
    mission = masked.mission
    helper = mission.helper
    language = helper.user.language if helper else "fr"
    with translation.override(language):
        if mission.state not in ACTIVE or helper is None or masked.ended_at is not None:
            return _hang_up(
                _("This mission has ended: Solidair no longer puts you through. Goodbye."),
                language,
            )
        MaskedCall.objects.filter(pk=masked.pk, answered_at__isnull=True).update(
            answered_at=timezone.now(), status="in-progress"
        )
        response = VoiceResponse()
        _say(
            response,
            _("Connecting you to %(name)s…") % {"name": mission.helpee.first_name},
            language,
        )
    dial = response.dial(
        caller_id=mission.organisation.hotline_number,
        timeout=HELPEE_RINGS_SECONDS,
        action=_url("masked_done", call=masked.pk),
        method="POST",
    )
    for phone in mission.helpee.phones.all():
        dial.number(phone.number)
    return str(response)


# The helpee calls the line.


def helpee_incoming(call: Call) -> str | None:
    """TwiML that puts a helpee calling the line through to the helper of their active
    mission, or None when the call should go on to the menu."""
    if not call.caller:
        return None
    mission = (
        Mission.objects.filter(
            organisation_id=call.organisation_id,
            state__in=ACTIVE,
            helpee__organisation_id=call.organisation_id,
            helpee__phones__number=call.caller,
            helper__isnull=False,
        )
        .exclude(helper__user__phone="")
        .select_related("helpee", "helper__user", "organisation")
        .order_by("-updated_at")
        .first()
    )
    if mission is None or not mission.organisation.hotline_number:
        return None
    if call.provider_sid:
        masked, _created = MaskedCall.objects.get_or_create(
            provider_sid=call.provider_sid,
            defaults={"mission": mission, "direction": MaskedDirection.HELPEE_TO_HELPER},
        )
        if masked.ended_at is not None or masked.direction != MaskedDirection.HELPEE_TO_HELPER:
            return None
    else:
        masked = MaskedCall.objects.create(
            mission=mission, direction=MaskedDirection.HELPEE_TO_HELPER
        )
    assert mission.helper is not None
    helper = mission.helper
    response = VoiceResponse()
    with translation.override(mission.helpee.language):
        _say(
            response,
            _("Hello. We are putting you through to %(name)s, who helps you.")
            % {"name": helper.user.first_name},
            mission.helpee.language,
        )
    dial = response.dial(
        caller_id=mission.organisation.hotline_number,
        timeout=HELPER_ANSWERS_SECONDS,
        action=_url("masked_done", call=masked.pk),
        method="POST",
    )
    dial.number(helper.user.phone, url=_url("masked_whisper", call=masked.pk), method="POST")
    return str(response)


def _helpee_call_open(masked: MaskedCall) -> bool:
    return masked.ended_at is None and masked.mission.state in ACTIVE


def whisper_twiml(*, pk: str) -> str:
    """Heard by the helper alone when they answer: who calls; 1 takes the call. Their
    voicemail presses nothing, and the helpee goes on to the operators."""
    masked = _masked(pk, MaskedDirection.HELPEE_TO_HELPER)
    if masked is None or not _helpee_call_open(masked) or masked.mission.helper is None:
        return _hang_up()
    language = masked.mission.helper.user.language
    response = VoiceResponse()
    gather = response.gather(
        num_digits=1, action=_url("masked_accept", call=masked.pk), method="POST", timeout=8
    )
    with translation.override(language):
        _say(
            gather,
            _("%(name)s, whom you help with Solidair, is calling you. Press 1 to talk to them.")
            % {"name": masked.mission.helpee.first_name},
            language,
        )
    response.hangup()
    return str(response)


def accept_twiml(*, pk: str, digit: str) -> str:
    """The helper pressed a key after the whisper: 1 connects them."""
    masked = _masked(pk, MaskedDirection.HELPEE_TO_HELPER)
    if masked is None or not _helpee_call_open(masked) or digit != "1":
        return _hang_up()
    MaskedCall.objects.filter(pk=masked.pk, answered_at__isnull=True).update(
        answered_at=timezone.now(), status="in-progress"
    )
    return str(VoiceResponse())  # an empty answer ends the whisper: the two are connected


def operators_path() -> str:
    """The help line's choice webhook as if the caller had pressed 1 (ask for help)."""
    return _url("choice", attempt=0, Digits=1)


def done_twiml(*, pk: str, sid: str, dial_status: str) -> str:
    """The dial is over (the provider calls the Dial's action on the first leg)."""
    masked = _masked(pk)
    if masked is None or not sid or masked.provider_sid != sid:
        return _hang_up()
    if masked.direction == MaskedDirection.HELPER_TO_HELPEE:
        return _helper_leg_done(masked, dial_status)
    return _helpee_leg_done(masked, dial_status)


def _helper_leg_done(masked: MaskedCall, dial_status: str) -> str:
    MaskedCall.objects.filter(pk=masked.pk, ended_at__isnull=True).update(
        status=(dial_status or "completed")[:20]
    )
    helper = masked.mission.helper
    language = helper.user.language if helper else "fr"
    if dial_status in NOT_CONNECTED:
        with translation.override(language):
            return _hang_up(
                _("%(name)s did not answer. Please try again later. Goodbye.")
                % {"name": masked.mission.helpee.first_name},
                language,
            )
    return _hang_up()


def _helpee_leg_done(masked: MaskedCall, dial_status: str) -> str:
    """The helper took the call and it is over; or they did not take it, and the helpee
    goes on to the operators as if they had asked for help at the menu."""
    now = timezone.now()
    if masked.answered_at is not None:
        MaskedCall.objects.filter(pk=masked.pk, ended_at__isnull=True).update(
            ended_at=now, status="completed"
        )
        # The line's status webhook may have ended the call first, without an outcome.
        Call.objects.filter(provider_sid=masked.provider_sid, outcome="").update(
            ended_at=Coalesce(F("ended_at"), Value(now)), outcome=CallOutcome.HELPER
        )
        return _hang_up()
    MaskedCall.objects.filter(pk=masked.pk, ended_at__isnull=True).update(
        ended_at=now, status=(dial_status if dial_status in NOT_CONNECTED else "not-taken")
    )
    language = masked.mission.helpee.language
    # The operators' queue speaks the helpee's language, as if they had chosen it.
    Call.objects.filter(provider_sid=masked.provider_sid, language="").update(language=language)
    response = VoiceResponse()
    with translation.override(language):
        _say(
            response,
            _("Your helper cannot answer right now. We put you through to the help line."),
            language,
        )
    response.redirect(operators_path(), method="POST")
    return str(response)


def status_record(*, pk: str, sid: str, call_status: str) -> None:
    """The provider's last word on the call to the helper's phone."""
    masked = _masked(pk, MaskedDirection.HELPER_TO_HELPEE)
    if masked is None or not sid or masked.provider_sid != sid or call_status not in FINAL:
        return
    MaskedCall.objects.filter(pk=masked.pk, ended_at__isnull=True).update(ended_at=timezone.now())
    # A call that never reached the helpee keeps why (no-answer, busy...).
    MaskedCall.objects.filter(pk=masked.pk, status__in=["queued", "ringing", "in-progress"]).update(
        status=call_status
    )
