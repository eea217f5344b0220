"""What Twilio (or SignalWire, Telnyx TeXML) calls back: delivery reports and the
'press 1' of a voice call. The only place with csrf_exempt: every request must carry
the provider's signature over the exact address and parameters, or gets a 403."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator

from solidair.notifications.models import Message, Status
from solidair.notifications.providers.voice import hang_up_twiml, said_twiml, voice_twiml
from solidair.notifications.services import message_report

# The provider's words for a message's or a call's fate, in ours.
STATUSES = {
    "queued": Status.SENT,
    "accepted": Status.SENT,
    "sending": Status.SENT,
    "sent": Status.SENT,
    "initiated": Status.SENT,
    "ringing": Status.SENT,
    "in-progress": Status.SENT,
    "answered": Status.SENT,
    "delivered": Status.DELIVERED,
    "read": Status.DELIVERED,
    "completed": Status.DELIVERED,
    "undelivered": Status.UNDELIVERABLE,
    "busy": Status.UNDELIVERABLE,
    "no-answer": Status.UNDELIVERABLE,
    "failed": Status.FAILED,
    "canceled": Status.FAILED,
}


def signed(request: HttpRequest) -> bool:
    url = settings.SITE_URL.rstrip("/") + request.get_full_path()
    validator = RequestValidator(settings.TWILIO_AUTH_TOKEN)
    signature = request.headers.get("X-Twilio-Signature", "")
    return bool(settings.TWILIO_AUTH_TOKEN) and validator.validate(url, request.POST, signature)


@csrf_exempt
@require_POST
def twilio_status(request: HttpRequest, pk: int) -> HttpResponse:
    if not signed(request):
        return HttpResponseForbidden()
    provider_status = request.POST.get("MessageStatus") or request.POST.get("CallStatus", "")
    sid = request.POST.get("MessageSid") or request.POST.get("CallSid", "")
    status = STATUSES.get(provider_status)
    if status is not None and sid:
        error = request.POST.get("ErrorCode", "")
        message_report(
            message_id=pk,
            provider_message_id=sid,
            status=status,
            error=f"{provider_status} {error}".strip() if status != Status.DELIVERED else "",
        )
    return HttpResponse(status=204)


@csrf_exempt
@require_POST
def twilio_voice(request: HttpRequest, pk: int) -> HttpResponse:
    """The person pressed a key during the call: 1 hears the message again."""
    if not signed(request):
        return HttpResponseForbidden()
    message = get_object_or_404(Message, pk=pk)
    digit = request.POST.get("Digits", "")
    if message.purpose == "feedback" and message.mission_id is not None:
        twiml = _feedback_answer(message, digit)
    else:
        twiml = voice_twiml(message) if digit == "1" else hang_up_twiml()
    return HttpResponse(twiml, content_type="text/xml")


def _feedback_answer(message: Message, digit: str) -> str:
    """After the mission: 1, the helpee received their help; 2, an operator calls back."""
    from solidair.callcentre.services import mission_feedback_by_phone

    if digit not in ("1", "2") or message.mission_id is None:
        return voice_twiml(message)
    mission_feedback_by_phone(mission_id=message.mission_id, received=digit == "1")
    with translation.override(message.language):
        if digit == "1":
            return said_twiml(message, _("Thank you. Goodbye."))
        return said_twiml(message, _("An operator will call you back soon. Goodbye."))
