from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solidair.callcentre import selectors
from solidair.callcentre.forms import ReasonForm
from solidair.callcentre.review import mission_reject
from solidair.callcentre.services import CallcentreError, mission_door_alert
from solidair.missions.selectors import mission_for
from solidair.missions.services import MissionError, mission_assign
from solidair.people.http import AuthedRequest
from solidair.people.models import STAFF_ROLES, Helper, RoleKind
from solidair.people.selectors import has_role, user_kinds


@login_required
def trouble(request: AuthedRequest) -> HttpResponse:
    if not user_kinds(request.user) & set(STAFF_ROLES):
        raise PermissionDenied
    return render(
        request,
        "callcentre/trouble.html",
        {"missions": selectors.missions_in_trouble(request.user)},
    )


@login_required
def mission_reject_view(request: AuthedRequest, pk: int) -> HttpResponse:
    mission = mission_for(request.user, pk)
    if not has_role(
        request.user, mission.organisation_id, RoleKind.MODERATOR, RoleKind.COORDINATOR
    ):
        raise PermissionDenied
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mission_reject(mission=mission, by=request.user, reason=form.cleaned_data["reason"])
        except MissionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The request is rejected; the requester will be told why."))
            return redirect("moderator_home")
    return render(request, "callcentre/mission_reject.html", {"mission": mission, "form": form})


@login_required
def mission_assign_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Assign a helper by hand, from the nearest verified helpers."""
    mission = mission_for(request.user, pk)
    if not has_role(
        request.user,
        mission.organisation_id,
        RoleKind.OPERATOR,
        RoleKind.COORDINATOR,
        RoleKind.MODERATOR,
    ):
        raise PermissionDenied
    if request.method == "POST":
        chosen = request.POST.get("helper", "")
        helper = Helper.objects.filter(
            pk=int(chosen) if chosen.isdigit() else 0, organisation_id=mission.organisation_id
        ).first()
        if helper is None:
            messages.error(request, _("Please choose a helper."))
        else:
            try:
                mission_assign(
                    mission=mission, helper=helper, by=request.user, reason=_("Assigned by hand")
                )
            except MissionError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request, _("%(name)s is assigned.") % {"name": helper.user.get_full_name()}
                )
                return redirect("mission_detail", pk=mission.pk)
    return render(
        request,
        "callcentre/mission_assign.html",
        {"mission": mission, "candidates": selectors.helpers_by_distance(mission)},
    )


@require_POST
@login_required
def mission_door_alert_view(request: AuthedRequest, pk: int) -> HttpResponse:
    mission = mission_for(request.user, pk)
    try:
        mission_door_alert(mission=mission, by=request.user)
    except CallcentreError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The coordinators are alerted. Stay with the helpee on the line.")
        )
    return redirect("helpee_detail", pk=mission.helpee_id)
