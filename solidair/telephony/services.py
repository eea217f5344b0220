"""Writes of the help line's calls, keyed on the provider's call id so that a retried
webhook changes nothing twice."""

import datetime

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from solidair.callcentre.models import Call, Callback, CallbackKind, CallOutcome
from solidair.callcentre.services import CallcentreError, callback_create
from solidair.languages import Language
from solidair.people.models import Helpee, Organisation, User
from solidair.telephony import routing, voice
from solidair.telephony.models import RingOutcome


def call_arrive(*, organisation: Organisation, sid: str, caller: str) -> Call:
    """The call that `sid` names, created on its first webhook."""
    helpee = (
        Helpee.objects.filter(organisation=organisation, phones__number=caller).first()
        if caller
        else None
    )
    call, _created = Call.objects.get_or_create(
        provider_sid=sid,
        defaults={"organisation": organisation, "caller": caller, "helpee": helpee},
    )
    return call


def call_language_set(*, call: Call, language: str) -> None:
    Call.objects.filter(pk=call.pk).update(language=language)
    call.language = language


def voicemail_leave(*, call: Call, recording_url: str, reason: str) -> Callback | None:
    """The caller left a message: one callback, and the call ends. None when a retried
    webhook finds the call already ended."""
    with transaction.atomic():
        locked = Call.objects.select_for_update().get(pk=call.pk)
        if locked.ended_at is not None:
            return None
        callback = callback_create(
            organisation=locked.organisation,
            kind=CallbackKind.VOICEMAIL,
            phone=locked.caller,
            helpee=locked.helpee,
            reason=reason,
            recording_url=recording_url,
        )
        Call.objects.filter(pk=locked.pk).update(
            ended_at=timezone.now(), outcome=CallOutcome.CALLBACK
        )
    routing.rings_stop(call_pk=call.pk, outcome=RingOutcome.CANCELLED)
    return callback


def call_block(*, call: Call) -> None:
    """A blocked number called: the call is logged, refused and ended."""
    Call.objects.filter(pk=call.pk, ended_at__isnull=True).update(
        ended_at=timezone.now(), outcome=CallOutcome.BLOCKED
    )


def call_choice_set(*, call: Call, choice: str) -> None:
    Call.objects.filter(pk=call.pk, choice="").update(choice=choice)
    call.choice = choice


def call_queue(*, call: Call, choice: str) -> bool:
    """The caller chose and waits for an operator: logged once, and the operators' phones
    start ringing. False when a retried webhook finds the call already queued."""
    language = call.language or call.organisation.languages[0]
    queued = Call.objects.filter(
        pk=call.pk, queued_at__isnull=True, ended_at__isnull=True, operator__isnull=True
    ).update(choice=choice, queued_at=timezone.now(), language=language)
    call.refresh_from_db()
    if queued:
        routing.operators_ring(call=call)
    return bool(queued)


def call_queue_leave(*, call: Call) -> bool:
    """Nobody took the caller within the wait limit: they leave the queue for the
    voicemail, and no phone rings for them any more. False when an operator took the
    call at this very moment (the caller stays for the bridge)."""
    left = Call.objects.filter(
        pk=call.pk, operator__isnull=True, ended_at__isnull=True, outcome=""
    ).update(outcome=CallOutcome.CALLBACK)
    if not left and Call.objects.filter(pk=call.pk, operator__isnull=False).exists():
        return False
    routing.rings_stop(call_pk=call.pk, outcome=RingOutcome.CANCELLED)
    return True


def call_hang_up(*, call: Call, in_queue: bool = False) -> Callback | None:
    """The caller hung up (or the provider says their call is over). A caller who was
    waiting for an operator, or about to leave a message, becomes a callback; a call an
    operator took only ends, its outcome left to the operator. Once per call.

    `in_queue`: the provider says the caller hung up while still in the queue, so an
    operator who had pressed 1 was never connected: a callback all the same."""
    if in_queue:
        routing.take_undo(call=call)
    now = timezone.now()
    with transaction.atomic():
        locked = Call.objects.select_for_update().get(pk=call.pk)
        if locked.ended_at is not None:
            return None
        callback = None
        outcome = locked.outcome
        if locked.queued_at is not None and locked.operator_id is None:
            outcome = CallOutcome.CALLBACK if locked.caller else CallOutcome.OTHER
            if locked.caller:
                callback = callback_create(
                    organisation=locked.organisation,
                    kind=CallbackKind.MISSED,
                    phone=locked.caller,
                    helpee=locked.helpee,
                    reason=_missed_reason(locked, now),
                )
        Call.objects.filter(pk=locked.pk).update(ended_at=now, outcome=outcome)
    routing.rings_stop(call_pk=call.pk, outcome=RingOutcome.CANCELLED)
    return callback


def _missed_reason(call: Call, now: datetime.datetime) -> str:
    """For the operators, in the organisation's first language."""
    waited = int((now - call.queued_at).total_seconds()) if call.queued_at else 0
    with translation.override(call.organisation.languages[0]):
        return _("Hung up while waiting (%(waited)s), in %(language)s: %(choice)s") % {
            "waited": f"{waited // 60} min {waited % 60:02d} s",
            "language": Language(call.language).label if call.language else "?",
            "choice": voice.CHOICES.get(call.choice, _("No choice made")),
        }


def call_outcome_record(*, call: Call, by: User, outcome: str) -> None:
    """The operator says how a call the telephony put through to them ended; the call
    may already have ended on the phone."""
    if call.operator_id != by.pk:
        raise CallcentreError(_("This is not your call."))
    Call.objects.filter(pk=call.pk, outcome="").update(
        outcome=outcome, ended_at=Coalesce(F("ended_at"), Value(timezone.now()))
    )
