import logging
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from solidair.callcentre import selectors, services
from solidair.callcentre.context_processors import banner_state
from solidair.callcentre.forms import CallbackOutcomeForm, ShiftForm, SupportCallForm
from solidair.callcentre.models import Call, CallOutcome, WelfareConcern
from solidair.missions.models import State
from solidair.missions.selectors import missions_in_state
from solidair.notifications.providers.base import ProviderError
from solidair.people import phones
from solidair.people.http import AuthedRequest
from solidair.people.models import Organisation, RoleKind
from solidair.people.selectors import has_role, helpee_for, staff_organisation_ids
from solidair.people.services import access_log_record
from solidair.telephony import dialer
from solidair.telephony import services as telephony_services

logger = logging.getLogger(__name__)


def _organisation(request: AuthedRequest, *kinds: str) -> Organisation:
    ids = staff_organisation_ids(request.user, kinds or (RoleKind.OPERATOR,))
    if not ids:
        raise PermissionDenied
    return Organisation.objects.get(pk=ids[0])


def _console_context(request: AuthedRequest) -> dict:
    user = request.user
    return {
        "shift": selectors.open_shift(user),
        "on_shift": selectors.on_shift_now(user),
        "calls": selectors.calls_in_progress(user),
        "waiting": selectors.callers_waiting(user),
        "callbacks": selectors.callback_queue(user)[:20],
        "pending": missions_in_state(user, State.PENDING_REVIEW)[:20],
        "trouble": selectors.missions_in_trouble(user)[:20],
    }


@login_required
def console(request: AuthedRequest) -> HttpResponse:
    organisation = _organisation(request)
    context = _console_context(request)
    if context["shift"] is None:
        context["shift_form"] = ShiftForm(
            organisation=organisation,
            initial={"phone": request.user.phone, "languages": [request.user.language]},
        )
    return render(request, "callcentre/console.html", context)


@login_required
def console_live(request: AuthedRequest) -> HttpResponse:
    """The parts of the console that change, polled by htmx every few seconds; with the
    call banner too when the call it shows changed (a help line call was just taken)."""
    _organisation(request)
    context = _console_context(request)
    shown = request.GET.get("shown")
    context["banner_changed"] = shown is not None and shown != banner_state(
        selectors.my_call(request.user)
    )
    return render(request, "callcentre/_console_live.html", context)


@require_POST
@login_required
def shift_start(request: AuthedRequest) -> HttpResponse:
    organisation = _organisation(request)
    form = ShiftForm(request.POST, organisation=organisation)
    if form.is_valid():
        try:
            services.shift_start(
                operator=request.user,
                organisation=organisation,
                languages=form.cleaned_data["languages"],
                phone=form.cleaned_data["phone"],
            )
        except services.CallcentreError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your shift has started. Thank you!"))
        return redirect("operator_home")
    context = _console_context(request) | {"shift_form": form}
    return render(request, "callcentre/console.html", context)


@require_POST
@login_required
def call_take(request: AuthedRequest) -> HttpResponse:
    """Start logging a call, then look the caller up by their number."""
    organisation = _organisation(request)
    raw = request.POST.get("number", "").strip()
    try:
        caller = phones.to_e164(raw, organisation.country) if raw else ""
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("operator_home")
    call = services.call_take(operator=request.user, organisation=organisation, caller=caller)
    if call.helpee_id:
        return redirect("helpee_detail", pk=call.helpee_id)
    url = reverse("helpee_search")
    return redirect(f"{url}?{urlencode({'call': call.pk})}" if caller else url)


@require_POST
@login_required
def call_end(request: AuthedRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(Call, pk=pk, operator=request.user)
    outcome = request.POST.get("outcome", "")
    if outcome not in CallOutcome.values:
        messages.error(request, _("Please say how the call ended."))
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = "operator_home"
        return redirect(back)
    if call.ended_at is None:
        services.call_end(call=call, by=request.user, outcome=outcome)
    else:  # a help line call that already ended on the phone
        telephony_services.call_outcome_record(call=call, by=request.user, outcome=outcome)
    messages.success(request, _("The call is logged."))
    return redirect("operator_home")


@require_POST
@login_required
def shift_end(request: AuthedRequest) -> HttpResponse:
    services.shift_end(operator=request.user)
    messages.success(request, _("Your shift has ended. Thank you for your time."))
    return redirect("operator_home")


@login_required
def support_call_new(request: AuthedRequest) -> HttpResponse:
    """The listening line: a call that needs no mission."""
    organisation = _organisation(request, RoleKind.OPERATOR, RoleKind.COORDINATOR)
    helpee = None
    if request.GET.get("helpee", "").isdigit():
        helpee = helpee_for(request.user, int(request.GET["helpee"]))
        organisation = helpee.organisation
    form = SupportCallForm(
        request.POST or None, organisation=organisation, with_caller=helpee is None
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.support_call_log(
                organisation=organisation,
                by=request.user,
                helpee=helpee,
                caller_name=data.get("caller_name", ""),
                caller_phone=data.get("caller_phone", ""),
                duration_minutes=data["duration_minutes"],
                mood=data["mood"],
                referral=data["referral"],
                notes=data["notes"],
                follow_up_at=data["follow_up_at"],
            )
        except services.CallcentreError as error:
            form.add_error(None, error.message)
        else:
            if data["follow_up_at"]:
                messages.success(
                    request, _("The call is logged; the follow-up is in the callback queue.")
                )
            else:
                messages.success(request, _("The call is logged."))
            return redirect("operator_home")
    return render(request, "callcentre/support_call_form.html", {"form": form, "helpee": helpee})


@login_required
def callbacks(request: AuthedRequest) -> HttpResponse:
    _organisation(request, RoleKind.OPERATOR, RoleKind.COORDINATOR)
    return render(
        request, "callcentre/callbacks.html", {"callbacks": selectors.callback_queue(request.user)}
    )


@require_POST
@login_required
def callback_claim(request: AuthedRequest, pk: int) -> HttpResponse:
    callback = selectors.callback_for(request.user, pk)
    try:
        services.callback_claim(callback=callback, by=request.user)
    except services.CallcentreError as error:
        messages.error(request, error.message)
        return redirect("callbacks")
    return redirect("callback_detail", pk=pk)


@login_required
def callback_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    callback = selectors.callback_for(request.user, pk)
    mine = callback.claimed_by_id == request.user.pk
    form = CallbackOutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.callback_record(
                callback=callback,
                by=request.user,
                outcome=form.cleaned_data["outcome"],
                notes=form.cleaned_data["notes"],
                retry_at=form.cleaned_data["retry_at"],
            )
        except services.CallcentreError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The call is recorded."))
            return redirect("callbacks")
    if callback.helpee is not None:
        access_log_record(user=request.user, helpee=callback.helpee, page=request.path)
    return render(
        request,
        "callcentre/callback_detail.html",
        {"callback": callback, "mine": mine, "form": form, "attempts": callback.attempts.all()},
    )


@never_cache
@login_required
def callback_recording(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """The caller's voicemail, played in the browser through Solidair: the provider's
    address and credentials never reach it, and each listen to a known helpee's message
    goes to the access log."""
    callback = selectors.callback_for(request.user, pk)
    if not callback.recording_url:
        raise Http404
    try:
        fetched = dialer.recording_fetch(callback.recording_url)
    except ProviderError as error:
        logger.warning("Recording of callback %s not fetched: %s", callback.pk, error)
        return HttpResponse(
            _("The recording cannot be fetched from the phone provider just now."),
            status=502,
            content_type="text/plain; charset=utf-8",
        )
    if callback.helpee is not None:
        access_log_record(user=request.user, helpee=callback.helpee, page=request.path)
    response = StreamingHttpResponse(
        fetched.iter_content(dialer.RECORDING_CHUNK),
        content_type=fetched.headers.get("Content-Type", "audio/mpeg"),
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def concern_resolve(request: AuthedRequest, pk: int) -> HttpResponse:
    concern = get_object_or_404(WelfareConcern, pk=pk)
    if not has_role(request.user, concern.organisation_id, RoleKind.COORDINATOR):
        raise PermissionDenied
    try:
        services.welfare_resolve(
            concern=concern, by=request.user, resolution=request.POST.get("resolution", "")
        )
    except services.CallcentreError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The concern is closed."))
    return redirect("coordinator_home")
