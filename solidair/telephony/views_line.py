"""The coordinators' pages of the help line: its settings, opening hours and numbers,
and the blocked callers. For coordinators and administrators of the organisation."""

from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solidair.people import phones
from solidair.people.http import AuthedRequest
from solidair.people.models import Organisation
from solidair.people.selectors import scoped, staff_organisation_ids
from solidair.telephony import blocklist, hours, line
from solidair.telephony.forms import (
    BlockedCallerForm,
    LineNumberForm,
    LineSettingsForm,
    OpeningHoursForm,
)
from solidair.telephony.models import BlockedCaller, LineNumber, OpeningHours


def _kept(request: AuthedRequest) -> Organisation:
    """The organisation whose line this coordinator (or administrator) keeps: the one
    named by `?organisation=` (someone who keeps several lines chooses), else their
    first."""
    ids = staff_organisation_ids(request.user, blocklist.KEEPERS)
    if not ids:
        raise PermissionDenied
    chosen = request.GET.get("organisation", "")
    if not chosen:
        return Organisation.objects.get(pk=ids[0])
    if not chosen.isdigit() or int(chosen) not in ids:
        raise PermissionDenied
    return Organisation.objects.get(pk=int(chosen))


def _kept_all(request: AuthedRequest) -> list[Organisation]:
    ids = staff_organisation_ids(request.user, blocklist.KEEPERS)
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def _back(name: str, organisation_id: int) -> HttpResponse:
    return redirect(f"{reverse(f'telephony:{name}')}?organisation={organisation_id}")


def _settings_initial(organisation: Organisation) -> dict[str, Any]:
    current = hours.line_settings(organisation)
    return {
        "ring_strategy": current.ring_strategy,
        "ring_seconds": current.ring_seconds,
        "wait_limit_seconds": current.wait_limit_seconds,
        "closed_on_public_holidays": current.closed_on_public_holidays,
    }


def _line_page(
    request: AuthedRequest, organisation: Organisation, **given: django_forms.Form
) -> HttpResponse:
    context = {
        "organisation": organisation,
        "lines_kept": _kept_all(request),
        "settings_form": given.get("settings_form")
        or LineSettingsForm(prefix="settings", initial=_settings_initial(organisation)),
        "hours_form": given.get("hours_form") or OpeningHoursForm(prefix="hours"),
        "number_form": given.get("number_form")
        or LineNumberForm(prefix="number", organisation=organisation),
        "opening_hours": line.opening_hours_of(organisation),
        "line_numbers": [
            (n, phones.national(n.number)) for n in line.line_numbers_of(organisation)
        ],
    }
    return render(request, "telephony/line.html", context, status=400 if given else 200)


@login_required
def line_page(request: AuthedRequest) -> HttpResponse:
    return _line_page(request, _kept(request))


@require_POST
@login_required
def line_settings(request: AuthedRequest) -> HttpResponse:
    organisation = _kept(request)
    form = LineSettingsForm(request.POST, prefix="settings")
    if not form.is_valid():
        return _line_page(request, organisation, settings_form=form)
    line.line_settings_save(organisation=organisation, by=request.user, **form.cleaned_data)
    messages.success(request, _("The help line's settings are saved."))
    return _back("line", organisation.pk)


@require_POST
@login_required
def opening_hours_add(request: AuthedRequest) -> HttpResponse:
    organisation = _kept(request)
    form = OpeningHoursForm(request.POST, prefix="hours")
    if form.is_valid():
        try:
            added = line.opening_hours_add(
                organisation=organisation, by=request.user, **form.cleaned_data
            )
        except line.LineError as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(request, _("Open on %(hours)s.") % {"hours": str(added)})
            return _back("line", organisation.pk)
    return _line_page(request, organisation, hours_form=form)


@require_POST
@login_required
def opening_hours_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    opening = get_object_or_404(
        scoped(OpeningHours.objects.all(), request.user, blocklist.KEEPERS), pk=pk
    )
    line.opening_hours_remove(opening_hours=opening, by=request.user)
    messages.success(request, _("The opening on %(hours)s is removed.") % {"hours": str(opening)})
    return _back("line", opening.organisation_id)


@require_POST
@login_required
def line_number_add(request: AuthedRequest) -> HttpResponse:
    organisation = _kept(request)
    form = LineNumberForm(request.POST, prefix="number", organisation=organisation)
    if form.is_valid():
        try:
            added = line.line_number_add(
                organisation=organisation, by=request.user, **form.cleaned_data
            )
        except line.LineError as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(
                request,
                _("%(number)s now rings the help line.")
                % {"number": phones.national(added.number)},
            )
            return _back("line", organisation.pk)
    return _line_page(request, organisation, number_form=form)


@require_POST
@login_required
def line_number_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    number = get_object_or_404(
        scoped(LineNumber.objects.all(), request.user, blocklist.KEEPERS), pk=pk
    )
    line.line_number_remove(line_number=number, by=request.user)
    messages.success(
        request,
        _("%(number)s no longer rings the help line.") % {"number": phones.national(number.number)},
    )
    return _back("line", number.organisation_id)


@login_required
def blocked_callers(request: AuthedRequest) -> HttpResponse:
    organisation = _kept(request)
    form = BlockedCallerForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            added = blocklist.blocked_caller_add(
                organisation=organisation,
                number=form.cleaned_data["number"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except blocklist.BlocklistError as refused:
            form.add_error("number", refused.message)
        else:
            messages.success(
                request,
                _("Calls from %(number)s are now refused.")
                % {"number": phones.national(added.number)},
            )
            return _back("blocked_callers", organisation.pk)
    return render(
        request,
        "telephony/blocked_callers.html",
        {
            "organisation": organisation,
            "lines_kept": _kept_all(request),
            "form": form,
            "blocked_callers": [
                (b, phones.national(b.number)) for b in blocklist.blocked_callers_of(organisation)
            ],
        },
        status=400 if form.is_bound else 200,
    )


@require_POST
@login_required
def blocked_caller_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    blocked = get_object_or_404(
        scoped(BlockedCaller.objects.all(), request.user, blocklist.KEEPERS), pk=pk
    )
    blocklist.blocked_caller_remove(blocked_caller=blocked, by=request.user)
    messages.success(
        request,
        _("Calls from %(number)s are accepted again.")
        % {"number": phones.national(blocked.number)},
    )
    return _back("blocked_callers", blocked.organisation_id)
