"""The helper's buttons: call the helpee through Solidair, pause and resume offers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solidair.helpers.selectors import helper_of
from solidair.missions.models import Mission
from solidair.people.http import AuthedRequest
from solidair.people.models import Helper
from solidair.telephony import dialer, masked, pause


def _helper(request: AuthedRequest) -> Helper:
    helper = helper_of(request.user)
    if helper is None:
        raise PermissionDenied
    return helper


@require_POST
@login_required
def masked_call(request: AuthedRequest, pk: int) -> HttpResponse:
    helper = _helper(request)
    # Another helper's mission is not found, as on the mission page.
    mission = get_object_or_404(
        Mission.objects.select_related("organisation", "helpee"), pk=pk, helper=helper
    )
    try:
        masked.masked_call_start(mission=mission, helper=helper)
    except masked.MaskedCallError as refused:
        messages.error(request, refused.message)
    else:
        if dialer.simulated():  # the demo: no phone provider, so no phone rings
            messages.info(
                request,
                _(
                    "This is a demonstration line: no phone rings. With a phone provider, "
                    "Solidair would call you now and put you through."
                ),
            )
        else:
            messages.success(request, _("We are calling you now; answer to be put through."))
    return redirect("helpers:mission", pk=mission.pk)


@require_POST
@login_required
def offers_pause(request: AuthedRequest) -> HttpResponse:
    pause.helper_pause(helper=_helper(request))
    messages.success(request, _("Offers are paused: we will send you none until you resume."))
    return redirect("helpers:home")


@require_POST
@login_required
def offers_resume(request: AuthedRequest) -> HttpResponse:
    pause.helper_resume(helper=_helper(request))
    messages.success(request, _("Offers are back on."))
    return redirect("helpers:home")
