"""The help line's voice webhooks (Twilio, or any TwiML provider). The only place in
this app with csrf_exempt: every request must carry the provider's signature over
SITE_URL and the exact path and parameters (so it holds behind a TLS proxy), or gets a
403. Each call is one Call row, keyed on the provider's CallSid."""

import re

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from solidair.callcentre.models import Call
from solidair.languages import Language
from solidair.notifications.webhooks import signed
from solidair.people.models import Organisation
from solidair.telephony import services, voice

# Wrong keys and silences heard before the caller is given the organisation's first language.
MENU_REPEATS = 2
E164 = re.compile(r"^\+[1-9]\d{6,14}$")


def _twiml(text: str) -> HttpResponse:
    return HttpResponse(text, content_type="text/xml")


def _attempt(request: HttpRequest) -> int:
    value = request.GET.get("attempt", "0")
    return int(value) if value.isdigit() else MENU_REPEATS


def _call(request: HttpRequest) -> Call | None:
    """The call this webhook is about, on the organisation whose number was dialled."""
    sid = request.POST.get("CallSid", "")
    dialled = request.POST.get("To", "")
    organisation = (
        Organisation.objects.filter(hotline_number=dialled).order_by("pk").first()
        if dialled
        else None
    )
    if not sid or organisation is None or not organisation.languages:
        return None
    caller = request.POST.get("From", "")
    return services.call_arrive(
        organisation=organisation, sid=sid, caller=caller if E164.match(caller) else ""
    )


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
    if call is None:
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
    """Help, a listening ear or the helpers' line: nobody answers yet, so a voicemail."""
    if not signed(request):
        return HttpResponseForbidden()
    call = _call(request)
    if call is None:
        return _twiml(voice.hang_up())
    spoken = call.language or _languages(call)[0]
    digit = request.POST.get("Digits", "")
    attempt = _attempt(request)
    if digit not in voice.CHOICES and attempt < MENU_REPEATS:
        return _twiml(voice.choice_menu(language=spoken, attempt=attempt + 1))
    chosen = digit if digit in voice.CHOICES else ""
    return _twiml(voice.voicemail_prompt(language=spoken, choice=chosen))


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
