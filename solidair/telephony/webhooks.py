"""The help line's voice webhooks (Twilio, or any TwiML provider). The only place in
this app with csrf_exempt: every request must carry the provider's signature over
SITE_URL and the exact path and parameters (so it holds behind a TLS proxy), or gets a
403. Each call is one Call row, keyed on the provider's CallSid; each ring of an
operator's phone is one Ring, keyed on its own CallSid. A webhook replayed once the call
is over changes nothing and hangs up.

The caller's leg: incoming → language → choice → (queue: wait, queue_done) or the
voicemail; status when it is over. An operator's leg: whisper → take; ring_status when
it is over. Neither leg's TwiML ever holds the other party's number."""

import re

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from solidair.callcentre.models import Call, CallOutcome
from solidair.languages import Language
from solidair.notifications.webhooks import signed
from solidair.people.models import Organisation
from solidair.telephony import blocklist, masked, routing, services, voice
from solidair.telephony.hours import line_open, line_settings
from solidair.telephony.models import LineNumber

# Wrong keys and silences heard before the caller is given the organisation's first language.
MENU_REPEATS = 2
# Silence between two waiting messages.
WAIT_PAUSE_SECONDS = 20
# The provider's final statuses of a call.
CALL_OVER = ("completed", "busy", "failed", "no-answer", "canceled")
E164 = re.compile(r"^\+[1-9]\d{6,14}$")


def _twiml(text: str) -> HttpResponse:
    return HttpResponse(text, content_type="text/xml")


def _attempt(request: HttpRequest) -> int:
    value = request.GET.get("attempt", "0")
    return int(value) if value.isdigit() else MENU_REPEATS


def _call(request: HttpRequest) -> Call | None:
    """The call this webhook is about, on the organisation whose number was dialled."""
    sid = request.POST.get("CallSid", "")
    organisation = _dialled(request.POST.get("To", ""))
    if not sid or organisation is None or not organisation.languages:
        return None
    caller = request.POST.get("From", "")
    return services.call_arrive(
        organisation=organisation, sid=sid, caller=caller if E164.match(caller) else ""
    )


def _dialled(number: str) -> Organisation | None:
    """The organisation whose main number, or one of its further numbers, was dialled."""
    if not number:
        return None
    organisation = Organisation.objects.filter(hotline_number=number).order_by("pk").first()
    if organisation is None:
        further = LineNumber.objects.filter(number=number).select_related("organisation").first()
        organisation = further.organisation if further else None
    return organisation


def _known_call(request: HttpRequest) -> Call | None:
    """The call of an earlier webhook (the queue, the status): never created here."""
    sid = request.POST.get("CallSid", "")
    if not sid:
        return None
    return Call.objects.select_related("organisation").filter(provider_sid=sid).first()


def _languages(call: Call) -> list[str]:
    return list(call.organisation.languages)


@csrf_exempt
@require_POST
def incoming(request: HttpRequest) -> HttpResponse:
    if not signed(request):
        return HttpResponseForbidden()
    call = _call(request)
    if call is None:
        return _twiml(voice.hang_up())
    languages = _languages(call)
    if call.outcome == CallOutcome.BLOCKED:  # a retry: refused again, counted once
        return _twiml(voice.refused(language=languages[0]))
    if call.ended_at is not None:
        return _twiml(voice.hang_up())
    if blocklist.blocked(call.organisation, call.caller):
        services.call_block(call=call)
        return _twiml(voice.refused(language=languages[0]))
    put_through = masked.helpee_incoming(call)
    if put_through is not None:
        return _twiml(put_through)
    with translation.override(languages[0]):
        welcome = _("Welcome to %(organisation)s.") % {"organisation": call.organisation.name}
    return _twiml(voice.language_menu(languages=languages, attempt=0, welcome=welcome))


@csrf_exempt
@require_POST
def language(request: HttpRequest) -> HttpResponse:
    """The key pressed at the language menu; a wrong key or silence hears it again."""
    if not signed(request):
        return HttpResponseForbidden()
    call = _call(request)
    if call is None or call.ended_at is not None:
        return _twiml(voice.hang_up())
    languages = _languages(call)
    digit = request.POST.get("Digits", "")
    attempt = _attempt(request)
    if digit.isdigit() and 1 <= int(digit) <= len(languages):
        chosen = languages[int(digit) - 1]
    elif attempt < MENU_REPEATS:
        return _twiml(voice.language_menu(languages=languages, attempt=attempt + 1))
    else:
        chosen = languages[0]
    services.call_language_set(call=call, language=chosen)
    return _twiml(voice.choice_menu(language=chosen, attempt=0))


@csrf_exempt
@require_POST
def choice(request: HttpRequest) -> HttpResponse:
    """Help, a listening ear or the helpers' line: the caller waits for an operator who
    speaks their language, or leaves a message when the line is closed."""
    if not signed(request):
        return HttpResponseForbidden()
    call = _call(request)
    if call is None or call.ended_at is not None or call.operator_id is not None:
        return _twiml(voice.hang_up())
    spoken = call.language or _languages(call)[0]
    if call.queued_at is not None:  # a retried webhook: the same queue, nothing twice
        if not routing.waiting(call):  # gone on to the voicemail meanwhile
            return _twiml(voice.voicemail_prompt(language=spoken, choice=call.choice))
        return _twiml(voice.enqueue(queue=routing.queue_name(call)))
    # A masked call that the helper did not take comes here with its key in the query.
    digit = request.POST.get("Digits", "") or request.GET.get("Digits", "")
    attempt = _attempt(request)
    if digit not in voice.CHOICES and attempt < MENU_REPEATS:
        return _twiml(voice.choice_menu(language=spoken, attempt=attempt + 1))
    chosen = digit if digit in voice.CHOICES else ""
    if not line_open(call.organisation):
        services.call_choice_set(call=call, choice=chosen)
        return _twiml(voice.voicemail_prompt(language=spoken, choice=chosen, closed=True))
    services.call_queue(call=call, choice=chosen)
    return _twiml(voice.enqueue(queue=routing.queue_name(call)))


@csrf_exempt
@require_POST
def wait(request: HttpRequest) -> HttpResponse:
    """The Enqueue's waitUrl, asked again each time its TwiML is over: the caller's place
    among the organisation's waiting callers in their language, then a pause; past the
    wait limit, out of the queue. Each time, a free operator (one who finished a call or
    just started a shift) is rung."""
    if not signed(request):
        return HttpResponseForbidden()
    call = _known_call(request)
    if call is None or call.ended_at is not None:
        return _twiml(voice.hang_up())
    if routing.take_stuck(call):  # taken, never connected: the next operator rings
        routing.take_undo(call=call)
        call.refresh_from_db()
    if call.operator_id is not None:  # taken this very moment: the bridge comes at once
        return _twiml(voice.waiting(language=call.language, position=1, pause_seconds=1))
    if call.queued_at is None or not routing.waiting(call):
        return _twiml(voice.leave())
    limit = line_settings(call.organisation).wait_limit_seconds
    waited = (timezone.now() - call.queued_at).total_seconds()
    if waited >= limit:
        if services.call_queue_leave(call=call):
            return _twiml(voice.leave())
        # An operator took the call as the limit passed: the bridge comes at once.
        return _twiml(voice.waiting(language=call.language, position=1, pause_seconds=1))
    routing.operators_ring(call=call)
    call.refresh_from_db()
    if call.operator_id is not None:  # taken meanwhile: the bridge comes at once
        return _twiml(voice.waiting(language=call.language, position=1, pause_seconds=1))
    return _twiml(
        voice.waiting(
            language=call.language,
            position=routing.queue_position(call),
            pause_seconds=max(1, min(WAIT_PAUSE_SECONDS, int(limit - waited))),
        )
    )


@csrf_exempt
@require_POST
def queue_done(request: HttpRequest) -> HttpResponse:
    """The Enqueue's action: how the caller's wait ended (QueueResult)."""
    if not signed(request):
        return HttpResponseForbidden()
    call = _known_call(request)
    if call is None or call.ended_at is not None:
        return _twiml(voice.hang_up())
    result = request.POST.get("QueueResult", "")
    spoken = call.language or _languages(call)[0]
    if result == "hangup":
        services.call_hang_up(call=call, in_queue=True)
        return _twiml(voice.hang_up())
    if result in ("bridged", "bridging-in-process", "redirected"):
        # Connected to an operator (and now over): the status webhook ends the call.
        return _twiml(voice.hang_up())
    # "leave" (the wait limit), or the queue failed ("queue-full", "error",
    # "system-shutdown"): nobody will answer, a message instead. An operator who
    # pressed 1 at that moment will not reach the caller: the take is undone.
    routing.take_undo(call=call)
    services.call_queue_leave(call=call)
    return _twiml(voice.voicemail_prompt(language=spoken, choice=call.choice))


@csrf_exempt
@require_POST
def status(request: HttpRequest) -> HttpResponse:
    """The number's status callback: the caller's call is over. A caller still waiting
    becomes a callback; a call an operator took ends (its outcome is theirs to say)."""
    if not signed(request):
        return HttpResponseForbidden()
    call = _known_call(request)
    if call is not None and request.POST.get("CallStatus", "") in CALL_OVER:
        services.call_hang_up(call=call)
    return HttpResponse(status=204)


@csrf_exempt
@require_POST
def whisper(request: HttpRequest) -> HttpResponse:
    """The operator picked up their phone: who calls, and 1 to take it."""
    if not signed(request):
        return HttpResponseForbidden()
    ring = routing.ring_for(request.GET.get("ring", ""), request.POST.get("CallSid", ""))
    if ring is None:
        return _twiml(voice.hang_up())
    language = ring.operator.language
    if not routing.still_ringing(ring):
        return _twiml(voice.not_yours(language=language, why=routing.why_not(ring)))
    return _twiml(
        voice.whisper(
            ring_pk=ring.pk,
            language=language,
            call_language=ring.call.language or _languages(ring.call)[0],
            choice=ring.call.choice,
            organisation=ring.call.organisation.name,
        )
    )


@csrf_exempt
@require_POST
def take(request: HttpRequest) -> HttpResponse:
    """The key the operator pressed after the whisper (none: silence, or their
    voicemail). 1 takes the call unless another operator was faster."""
    if not signed(request):
        return HttpResponseForbidden()
    ring = routing.ring_for(request.GET.get("ring", ""), request.POST.get("CallSid", ""))
    if ring is None:
        return _twiml(voice.hang_up())
    language = ring.operator.language
    if request.POST.get("Digits", "") == "1":
        if routing.ring_take(ring=ring):
            return _twiml(voice.bridge(queue=routing.queue_name(ring.call)))
        return _twiml(voice.not_yours(language=language, why=routing.why_not(ring)))
    routing.ring_decline(ring=ring)
    return _twiml(voice.not_yours(language=language, why="declined"))


@csrf_exempt
@require_POST
def ring_status(request: HttpRequest) -> HttpResponse:
    """The provider's last word on an operator's leg: no-answer, busy, failed, canceled
    or completed. A ring nobody took makes the next operator's phone ring."""
    if not signed(request):
        return HttpResponseForbidden()
    ring = routing.ring_for(request.GET.get("ring", ""), request.POST.get("CallSid", ""))
    if ring is not None:
        routing.ring_status_record(ring=ring, status=request.POST.get("CallStatus", ""))
    return HttpResponse(status=204)


@csrf_exempt
@require_POST
def voicemail(request: HttpRequest) -> HttpResponse:
    """The message is left: one callback per call, however often this is retried."""
    if not signed(request):
        return HttpResponseForbidden()
    call = _call(request)
    if call is None:
        return _twiml(voice.hang_up())
    languages = _languages(call)
    spoken = call.language or languages[0]
    recording = request.POST.get("RecordingUrl", "")
    services.voicemail_leave(
        call=call,
        recording_url=recording if recording.startswith("https://") else "",
        reason=_reason(request.GET.get("choice", ""), spoken, languages[0]),
    )
    return _twiml(voice.goodbye(language=spoken))


def _reason(digit: str, spoken: str, staff_language: str) -> str:
    """For the operators, in the organisation's first language."""
    with translation.override(staff_language):
        wanted = voice.CHOICES.get(digit, _("No choice made"))
        return _("Voicemail in %(language)s: %(choice)s") % {
            "language": Language(spoken).label,
            "choice": wanted,
        }
