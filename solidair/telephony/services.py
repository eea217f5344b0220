"""Writes of the help line's calls, keyed on the provider's call id so that a retried
webhook changes nothing twice."""

from django.db import transaction
from django.utils import timezone

from solidair.callcentre.models import Call, Callback, CallbackKind, CallOutcome
from solidair.callcentre.services import callback_create
from solidair.people.models import Helpee, Organisation


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
    return callback
