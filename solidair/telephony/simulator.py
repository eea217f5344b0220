"""The phone simulator, for training and the demo: staff play the provider in the
browser. The page plays the caller's phone and the operators' phones; this module signs
each request exactly as the provider does and sends it over HTTP to the line's own
webhooks at SITE_URL, so a simulated call goes through the very code a real one does.

It never touches a real call: every call it drives has an id starting with "SIM", on a
number of the user's own organisations, and it only works while the dialer is
simulated (nothing really rings)."""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import requests
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from twilio.request_validator import RequestValidator

from solidair.languages import Language
from solidair.people.http import AuthedRequest
from solidair.people.models import Organisation, RoleKind, User
from solidair.people.selectors import staff_organisation_ids
from solidair.telephony import dialer
from solidair.telephony.models import LineNumber, Ring, RingOutcome

SIMULATOR_ROLES = (RoleKind.OPERATOR, RoleKind.COORDINATOR, RoleKind.ADMIN)
TIMEOUT_SECONDS = 8
# A fictional number: in the demo it is a Dutch-speaking helpee's (people/demo.py).
DEFAULT_CALLER = "+3225550142"
# What the provider sends with a voice webhook; anything else from the page is dropped.
PARAMETERS = frozenset(
    {
        "CallSid",
        "From",
        "To",
        "CallStatus",
        "Digits",
        "QueueResult",
        "QueueTime",
        "QueuePosition",
        "CurrentQueueSize",
        "RecordingUrl",
        "RecordingDuration",
        "RecordingSid",
        "DialCallStatus",
        "DialCallSid",
        "DialCallDuration",
        "CallDuration",
    }
)
# What the page sends as a recording: `.invalid` never resolves, so nothing is fetched.
FAKE_RECORDINGS = "https://simulator.invalid/recordings/"
SIMULATED_SID = re.compile(r"^SIM[0-9A-Za-z]{8,61}$")
MAX_TWIML_CHARACTERS = 100_000


class Refused(Exception):
    """The page asked for something the provider would never send; already translated."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class LineChoice:
    number: str
    organisation: str
    label: str


def _organisation_ids(user: User) -> list[int]:
    ids = staff_organisation_ids(user, SIMULATOR_ROLES)
    if not ids:
        raise PermissionDenied
    return ids


def _lines(organisation_ids: list[int]) -> list[LineChoice]:
    """Every number that rings these organisations' help lines."""
    lines = [
        LineChoice(number=o.hotline_number, organisation=o.name, label="")
        for o in Organisation.objects.filter(pk__in=organisation_ids).order_by("name")
        if o.hotline_number
    ]
    lines += [
        LineChoice(number=n.number, organisation=n.organisation.name, label=n.label)
        for n in LineNumber.objects.filter(organisation_id__in=organisation_ids)
        .select_related("organisation")
        .order_by("organisation__name", "number")
    ]
    return lines


def _path(name: str) -> str:
    """A webhook's path, or "" while the route does not exist."""
    try:
        return reverse(f"telephony:{name}")
    except NoReverseMatch:
        return ""


def _strings() -> dict[str, str]:
    """What the page's script says, in the user's language."""
    return {
        "call_title": _("Call from %(caller)s to %(line)s"),
        "withheld": _("a withheld number"),
        "calling": _("Calling…"),
        "on_line": _("On the line."),
        "hang_up_first": _("Hang up the call in progress first."),
        "queue_state": _("Waiting in the queue."),
        "connected_operator": _("Connected to an operator. Talk, then hang up."),
        "connected_caller": _("Connected to the caller. Talk, then hang up."),
        "connecting_phone": _("Connecting to another phone…"),
        "connected_phone": _("Connected to the other phone."),
        "queue_waiting": _("Waiting in the queue for %(seconds)s s."),
        "queue_empty": _("Nobody waits in this queue any more."),
        "record": _("Recording a message. Type what you would say, then finish the message."),
        "keys_ignored": _("Nobody listens for keys now."),
        "silence_ignored": _("Nothing is waiting for an answer."),
        "pressed": _("You pressed %(key)s."),
        "said": _("You said: %(text)s"),
        "silent": _("You stay silent."),
        "left_queue": _("The caller leaves the queue."),
        "over": _("The call is over."),
        "hung_up": _("You hung up."),
        "other_hung_up": _("The other side hung up."),
        "rejected": _("The line refuses the call."),
        "sound": _("A recording plays."),
        "rings": _("%(operator)s's phone rings: a call in %(language)s."),
        "pick_up": _("Pick up as %(operator)s"),
        "let_ring": _("Let it ring"),
        "operator_phone": _("%(operator)s's phone"),
        "error": _("The simulator could not go on: %(error)s"),
    }


@require_GET
@login_required
def simulator_page(request: AuthedRequest) -> HttpResponse:
    organisation_ids = _organisation_ids(request.user)
    site = urlsplit(settings.SITE_URL)
    config = {
        "send": reverse("telephony:simulator_send"),
        "rings": reverse("telephony:simulator_rings"),
        "site": settings.SITE_URL.rstrip("/"),
        "incoming": _path("incoming"),
        "status": _path("status"),
        "strings": _strings(),
    }
    context = {
        "lines": _lines(organisation_ids),
        "default_caller": DEFAULT_CALLER,
        "config": config,
        "usable": dialer.simulated() and bool(settings.TWILIO_AUTH_TOKEN),
        "real_provider": not dialer.simulated(),
        "site_elsewhere": site.netloc != request.get_host(),
        "keys": [(key, key) for key in "123456789"]
        + [("*", _("* (star)")), ("0", "0"), ("#", _("# (hash)"))],
    }
    return render(request, "telephony/simulator.html", context)


@require_GET
@login_required
def simulator_rings(request: AuthedRequest) -> JsonResponse:
    """The operators' phones ringing now for simulated calls: who and in what language,
    never who is calling."""
    organisation_ids = _organisation_ids(request.user)
    rings = (
        Ring.objects.filter(
            call__organisation_id__in=organisation_ids,
            outcome=RingOutcome.RINGING,
            ended_at__isnull=True,
            provider_sid__startswith=dialer.SIMULATED_PREFIX,
        )
        .select_related("operator", "call")
        .order_by("started_at")
    )
    answer, status = _path("whisper"), _path("ring_status")
    return JsonResponse(
        {
            "rings": [
                {
                    "id": ring.pk,
                    "operator": ring.operator.get_full_name() or ring.operator.email,
                    "language": str(Language(ring.call.language).label)
                    if ring.call.language in Language.values
                    else "",
                    "answer": f"{answer}?ring={ring.pk}" if answer else "",
                    "status": f"{status}?ring={ring.pk}" if status else "",
                }
                for ring in rings
            ]
        }
    )


@require_POST
@login_required
def simulator_send(request: AuthedRequest) -> JsonResponse:
    """One webhook request, as the provider would make it; answers the TwiML."""
    organisation_ids = _organisation_ids(request.user)
    if not dialer.simulated():
        raise PermissionDenied
    try:
        path = webhook_path(request.POST.get("path", ""))
        parameters = _parameters(request, organisation_ids)
        _own_records(path, parameters, organisation_ids)
    except Refused as refused:
        return JsonResponse({"error": refused.message}, status=400)
    if not settings.TWILIO_AUTH_TOKEN:
        return JsonResponse({"error": _("TWILIO_AUTH_TOKEN is not set.")}, status=503)
    return _deliver(path, parameters)


def webhook_path(raw: str) -> str:
    """The path (and query) of one of the line's webhooks; refuses anything else."""
    parts = urlsplit(raw)
    if (
        parts.scheme
        or parts.netloc
        or parts.fragment
        or not parts.path.startswith("/")
        or any(c.isspace() or c == "\\" for c in raw)
        or "/." in parts.path
    ):
        raise Refused(_("Only the help line's webhooks can be called."))
    try:
        match = resolve(parts.path)
    except Resolver404:
        raise Refused(_("Only the help line's webhooks can be called.")) from None
    # The webhooks are the telephony app's only csrf_exempt views (STYLE.md).
    if match.namespace != "telephony" or not getattr(match.func, "csrf_exempt", False):
        raise Refused(_("Only the help line's webhooks can be called."))
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _parameters(request: AuthedRequest, organisation_ids: list[int]) -> dict[str, str]:
    given = {key: request.POST[key] for key in PARAMETERS if key in request.POST}
    ring_pk = request.POST.get("ring", "")
    if ring_pk:
        given |= _operator_leg(ring_pk, organisation_ids)
    numbers = {line.number for line in _lines(organisation_ids)}
    if not SIMULATED_SID.match(given.get("CallSid", "")):
        raise Refused(_("A simulated call's id starts with SIM."))
    # A caller's phone dials the line; an operator's leg comes from the line (its
    # numbers were filled in above from the ring, which is the user's own).
    if given.get("From" if ring_pk else "To") not in numbers:
        raise Refused(_("This is not a number of your organisation's help line."))
    recording = given.get("RecordingUrl")
    if recording is not None and not recording.startswith(FAKE_RECORDINGS):
        raise Refused(_("A simulated call can only leave a simulated recording."))
    return {
        "AccountSid": settings.TWILIO_ACCOUNT_SID or "AC" + "0" * 32,
        "ApiVersion": "2010-04-01",
        "Direction": "outbound-api" if ring_pk else "inbound",
        "Called": given.get("To", ""),
        "Caller": given.get("From", ""),
    } | given


def _own_records(path: str, parameters: dict[str, str], organisation_ids: list[int]) -> None:
    """The simulated call, and any ring or masked call the path names, belong to the
    user's own organisations: nobody drives another organisation's line."""
    from solidair.callcentre.models import Call
    from solidair.telephony.models import MaskedCall

    elsewhere = _("This call belongs to another organisation's line.")
    call = Call.objects.filter(provider_sid=parameters.get("CallSid", "")).first()
    if call is not None and call.organisation_id not in organisation_ids:
        raise Refused(elsewhere)
    query = parse_qs(urlsplit(path).query)
    for name, records in (
        ("ring", Ring.objects.filter(call__organisation_id__in=organisation_ids)),
        ("call", MaskedCall.objects.filter(mission__organisation_id__in=organisation_ids)),
    ):
        for value in query.get(name, []):
            if not value.isdigit() or not records.filter(pk=int(value)).exists():
                raise Refused(elsewhere)


def _operator_leg(ring_pk: str, organisation_ids: list[int]) -> dict[str, str]:
    """What the provider knows of the call it placed to an operator's phone."""
    ring = (
        Ring.objects.filter(
            pk=int(ring_pk) if ring_pk.isdigit() else 0,
            call__organisation_id__in=organisation_ids,
            provider_sid__startswith=dialer.SIMULATED_PREFIX,
        )
        .select_related("shift", "call__organisation")
        .first()
    )
    if ring is None or not ring.provider_sid:
        raise Refused(_("This operator's phone is not ringing for a simulated call."))
    return {
        "CallSid": ring.provider_sid,
        "From": ring.call.organisation.hotline_number or settings.TWILIO_FROM_NUMBER,
        "To": ring.shift.phone,
    }


def _deliver(path: str, parameters: dict[str, str]) -> JsonResponse:
    url = settings.SITE_URL.rstrip("/") + path
    signature = RequestValidator(settings.TWILIO_AUTH_TOKEN).compute_signature(url, parameters)
    try:
        response = requests.post(
            url,
            data=parameters,
            headers={
                "X-Twilio-Signature": signature,
                "User-Agent": "TwilioProxy/1.1 (Solidair phone simulator)",
            },
            timeout=TIMEOUT_SECONDS,
            allow_redirects=False,
        )
    except requests.RequestException as failure:
        message = _("The help line did not answer at %(url)s (%(error)s). Is SITE_URL right?")
        return JsonResponse(
            {"error": message % {"url": url, "error": type(failure).__name__}}, status=502
        )
    is_xml = "xml" in response.headers.get("Content-Type", "")
    if response.status_code == 403:
        refused = _("The webhook refused the signature: SITE_URL or TWILIO_AUTH_TOKEN differ.")
        return JsonResponse({"error": refused, "status": 403}, status=502)
    if response.status_code >= 400:
        failed = _("The webhook answered with an error (HTTP %(status)s).") % {
            "status": response.status_code
        }
        return JsonResponse({"error": failed, "status": response.status_code}, status=502)
    return JsonResponse(
        {
            "status": response.status_code,
            # TwiML is UTF-8 (text/xml without a charset would be read as Latin-1).
            "twiml": response.content[:MAX_TWIML_CHARACTERS].decode("utf-8", "replace")
            if is_xml
            else "",
        }
    )
