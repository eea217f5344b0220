import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solidair.helpers.selectors import receipt_keep_days, report_shown_to
from solidair.missions.forms import MissionForm
from solidair.missions.models import Mission, State
from solidair.missions.selectors import mission_for, missions_visible_to
from solidair.missions.services import (
    ACTIONS,
    MissionChanged,
    MissionError,
    can_publish,
    mission_create,
    mission_update,
)
from solidair.people.http import AuthedRequest
from solidair.people.models import STAFF_ROLES
from solidair.people.selectors import has_role, helpee_for
from solidair.people.services import access_log_record


@login_required
def mission_list(request: AuthedRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    missions = missions_visible_to(request.user)
    if state in State.values:
        missions = missions.filter(state=state)
    return render(
        request,
        "missions/mission_list.html",
        {"missions": missions[:200], "states": State.choices, "state": state},
    )


@login_required
def mission_new(request: AuthedRequest, helpee_pk: int) -> HttpResponse:
    helpee = helpee_for(request.user, helpee_pk)
    form = MissionForm(
        request.POST or None, initial={"submission_token": secrets.token_urlsafe(24)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            changes = form.changes()
            mission = mission_create(
                helpee=helpee,
                theme=changes.pop("theme"),
                by=request.user,
                submission_token=form.cleaned_data["submission_token"] or None,
                **changes,
            )
        except MissionError as error:
            messages.error(request, error.message)
        else:
            if mission.state == State.PUBLISHED:
                messages.success(request, _("The mission is published."))
            else:
                messages.success(request, _("The mission is waiting for review."))
            return redirect("mission_detail", pk=mission.pk)
    return render(request, "missions/mission_form.html", {"form": form, "helpee": helpee})


def _is_staff_of(request: AuthedRequest, mission) -> bool:
    return has_role(request.user, mission.organisation_id, *STAFF_ROLES)


@login_required
def mission_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    try:
        mission = mission_for(request.user, pk)
    except Http404:
        # The helper's own page (a link from a message, say), while it is theirs.
        if Mission.objects.filter(
            pk=pk, helper__user=request.user, state__in=(State.ASSIGNED, State.IN_PROGRESS)
        ).exists():
            return redirect("helpers:mission", pk=pk)
        raise
    is_staff = _is_staff_of(request, mission)
    # Staff see the helpee's details; each view is logged.
    access_log_record(user=request.user, helpee=mission.helpee, page=request.path)
    return render(
        request,
        "missions/mission_detail.html",
        {
            "mission": mission,
            "helpee": mission.helpee,
            "phones": mission.helpee.phones.all(),
            "events": mission.events.select_related("actor"),
            "is_staff": is_staff,
            "can_publish": can_publish(request.user, mission),
            # The money and the receipt: the organisation's operators and coordinators.
            "report": report_shown_to(request.user, mission),
            "receipt_keep_days": receipt_keep_days(),
        },
    )


@login_required
def mission_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    mission = mission_for(request.user, pk)
    if not _is_staff_of(request, mission):
        raise PermissionDenied
    form = MissionForm(request.POST or None, instance=mission)
    unsaved: list[tuple[object, object]] = []
    if request.method == "POST" and form.is_valid():
        try:
            mission_update(
                mission=mission,
                by=request.user,
                expected_version=form.cleaned_data["version"] or 0,
                changes=form.changes(),
            )
        except MissionChanged as changed:
            messages.error(request, changed.message)
            theirs = MissionForm(instance=changed.current)
            unsaved = [
                (form[name].label, form.cleaned_data[name])
                for name in form.changes()
                if form.cleaned_data[name] != getattr(changed.current, name)
            ]
            form = theirs
        except MissionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("mission_detail", pk=mission.pk)
    return render(
        request,
        "missions/mission_form.html",
        {"form": form, "mission": mission, "helpee": mission.helpee, "unsaved": unsaved},
    )


@require_POST
@login_required
def mission_action(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    service = ACTIONS.get(action)
    if service is None:
        raise Http404
    mission = mission_for(request.user, pk)
    arguments: dict[str, object] = {"mission": mission, "by": request.user}
    if action in ("escalate", "release", "cancel", "complete", "publish", "no-show"):
        arguments["reason"] = request.POST.get("reason", "").strip()
    try:
        service(**arguments)
    except MissionError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Done: the mission is now “%(state)s”.") % {"state": mission.get_state_display()},
        )
    return redirect("mission_detail", pk=mission.pk)
