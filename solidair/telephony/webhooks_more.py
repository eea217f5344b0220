"""The provider's webhooks for masked calls and inbound text messages. Like the help
line's (webhooks.py): csrf_exempt, and every request must carry the provider's signature
over SITE_URL and the exact path and parameters, or gets a 403. Idempotent on the
provider's CallSid and MessageSid."""

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.twiml.messaging_response import MessagingResponse

from solidair.notifications.webhooks import signed
from solidair.telephony import masked, sms


def _twiml(text: str) -> HttpResponse:
    return HttpResponse(text, content_type="text/xml")


@csrf_exempt
@require_POST
def masked_bridge(request: HttpRequest) -> HttpResponse:
    """The helper answered Solidair's call: put them through to the helpee."""
    if not signed(request):
        return HttpResponseForbidden()
    return _twiml(
        masked.bridge_twiml(pk=request.GET.get("call", ""), sid=request.POST.get("CallSid", ""))
    )


@csrf_exempt
@require_POST
def masked_whisper(request: HttpRequest) -> HttpResponse:
    """The helper answered their helpee's call: who calls, and 1 to take it."""
    if not signed(request):
        return HttpResponseForbidden()
    return _twiml(masked.whisper_twiml(pk=request.GET.get("call", "")))


@csrf_exempt
@require_POST
def masked_accept(request: HttpRequest) -> HttpResponse:
    if not signed(request):
        return HttpResponseForbidden()
    return _twiml(
        masked.accept_twiml(pk=request.GET.get("call", ""), digit=request.POST.get("Digits", ""))
    )


@csrf_exempt
@require_POST
def masked_done(request: HttpRequest) -> HttpResponse:
    """The dial is over: the helpee who did not reach their helper goes to an operator."""
    if not signed(request):
        return HttpResponseForbidden()
    return _twiml(
        masked.done_twiml(
            pk=request.GET.get("call", ""),
            sid=request.POST.get("CallSid", ""),
            dial_status=request.POST.get("DialCallStatus", ""),
        )
    )


@csrf_exempt
@require_POST
def masked_status(request: HttpRequest) -> HttpResponse:
    """The last status of Solidair's call to the helper's phone."""
    if not signed(request):
        return HttpResponseForbidden()
    masked.status_record(
        pk=request.GET.get("call", ""),
        sid=request.POST.get("CallSid", ""),
        call_status=request.POST.get("CallStatus", ""),
    )
    return HttpResponse(status=204)


@csrf_exempt
@require_POST
def sms_incoming(request: HttpRequest) -> HttpResponse:
    if not signed(request):
        return HttpResponseForbidden()
    sid = request.POST.get("MessageSid", "") or request.POST.get("SmsSid", "")
    if not sid:
        return _twiml(str(MessagingResponse()))
    answer = sms.sms_receive(
        sid=sid,
        sender=request.POST.get("From", ""),
        to=request.POST.get("To", ""),
        body=request.POST.get("Body", ""),
    )
    response = MessagingResponse()
    response.message(answer)
    return _twiml(str(response))
