import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solidair.callcentre import selectors, services
from solidair.callcentre.forms import RotaForm
from solidair.callcentre.models import HelpLine, PlannedShift, SupportCall
from solidair.languages import Language
from solidair.people.http import AuthedRequest
from solidair.people.models import Organisation, RoleKind
from solidair.people.selectors import staff_organisation_ids

HOURS = range(8, 21)  # the line's usual opening hours; planned hours outside still show


def _coordinated(request: AuthedRequest) -> Organisation:
    ids = staff_organisation_ids(request.user, (RoleKind.COORDINATOR,))
    if not ids:
        raise PermissionDenied
    return Organisation.objects.get(pk=ids[0])


@login_required
def rota(request: AuthedRequest) -> HttpResponse:
    """The coming week by the hour: who is planned, and which language has nobody."""
    organisation = _coordinated(request)
    form = RotaForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        count = services.rota_plan(
            organisation=organisation,
            by=request.user,
            operator=form.cleaned_data["operator"],
            hours=form.hours(),
        )
        messages.success(request, _("%(count)s hours planned.") % {"count": count})
        return redirect("rota")
    today = timezone.localdate()
    week = selectors.rota_week(organisation, today)
    days = [today + datetime.timedelta(days=n) for n in range(7)]
    hours = sorted({*HOURS, *(moment.hour for moment in week)})
    languages = organisation.languages
    operator_languages = _operator_languages(organisation)
    rows = []
    for hour in hours:
        cells = []
        for day in days:
            moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
            plans = week.get(moment, [])
            spoken = {code for p in plans for code in operator_languages.get(p.operator_id, [])}
            cells.append({"plans": plans, "missing": [c for c in languages if c not in spoken]})
        rows.append((hour, cells))
    return render(
        request,
        "callcentre/rota.html",
        {
            "form": form,
            "days": days,
            "rows": rows,
            "language_names": dict(Language.choices),
            "on_shift": selectors.on_shift_now(request.user),
        },
    )


def _operator_languages(organisation: Organisation) -> dict[int, list[str]]:
    """The languages each operator said they speak on their latest shift, else their own."""
    from solidair.callcentre.models import Shift
    from solidair.people.models import User

    spoken: dict[int, list[str]] = {}
    for user in User.objects.filter(
        roles__organisation=organisation, roles__kind=RoleKind.OPERATOR
    ):
        spoken[user.pk] = [user.language]
    for shift in Shift.objects.filter(organisation=organisation).order_by("started_at"):
        spoken[shift.operator_id] = shift.languages
    return spoken


@require_POST
@login_required
def rota_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    planned = get_object_or_404(
        PlannedShift,
        pk=pk,
        organisation_id__in=staff_organisation_ids(request.user, (RoleKind.COORDINATOR,)),
    )
    services.rota_unplan(planned=planned, by=request.user)
    messages.success(request, _("The hour is removed from the rota."))
    return redirect("rota")


class HelpLineForm(forms.ModelForm):
    class Meta:
        model = HelpLine
        fields = ["name", "phone", "description"]


@login_required
def help_lines(request: AuthedRequest) -> HttpResponse:
    """The professional help lines the organisation refers listening calls to."""
    organisation = _coordinated(request)
    form = HelpLineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        line = form.save(commit=False)
        line.organisation = organisation
        line.save()
        messages.success(request, _("The help line is added."))
        return redirect("help_lines")
    return render(
        request,
        "callcentre/help_lines.html",
        {"form": form, "lines": HelpLine.objects.filter(organisation=organisation)},
    )


@require_POST
@login_required
def help_line_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    organisation = _coordinated(request)
    line = get_object_or_404(HelpLine, pk=pk, organisation=organisation)
    if SupportCall.objects.filter(referral=line).exists():
        messages.error(request, _("Calls were referred to this line: it stays in their history."))
    else:
        line.delete()
        messages.success(request, _("The help line is removed."))
    return redirect("help_lines")
