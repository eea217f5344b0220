"""The dormant reserve: when a new wave of need comes, a coordinator wakes the verified
helpers of an area by SMS — with a preview and the count before anything is sent, and
at most one wake per organisation every few hours."""

import datetime

from django import forms
from django.conf import settings
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from solidair.notifications.models import Channel, ReserveWake
from solidair.notifications.recipients import Recipient, Route, can_receive_sms
from solidair.notifications.services import notify
from solidair.people.http import AuthedRequest
from solidair.people.models import Helper, Organisation, RoleKind, User, Verification
from solidair.people.selectors import staff_organisation_ids
from solidair.places.postcodes import Place, distance_km, locate

WAKE_TEXT = gettext_lazy(
    "Solidair: people near %(place)s need help again. Can you help this week? "
    "Open Solidair to see the requests. Thank you!"
)


class ReserveForm(forms.Form):
    postcode = forms.CharField(label=gettext_lazy("Postcode of the area"), max_length=10)
    radius_km = forms.IntegerField(
        label=gettext_lazy("Radius (km)"), min_value=1, max_value=30, initial=5
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_postcode(self) -> Place:
        place = locate(self.organisation.country, self.cleaned_data["postcode"])
        if place is None:
            raise forms.ValidationError(_("We do not know this postcode."))
        return place


def sleepers(organisation: Organisation, place: Place, radius_km: int) -> list[Helper]:
    """Verified helpers of the area with a mobile number."""
    box = radius_km / 111.0
    helpers = Helper.objects.filter(
        organisation=organisation,
        verification=Verification.APPROVED,
        latitude__range=(place.latitude - box, place.latitude + box),
        longitude__range=(place.longitude - 1.6 * box, place.longitude + 1.6 * box),
    ).select_related("user")
    return [
        h
        for h in helpers
        if h.user.phone
        and can_receive_sms(h.user.phone)
        and distance_km(place.latitude, place.longitude, h.latitude, h.longitude) <= radius_km
    ]


def last_wake(organisation: Organisation) -> ReserveWake | None:
    since = timezone.now() - datetime.timedelta(hours=settings.RESERVE_WAKE_EVERY_HOURS)
    return ReserveWake.objects.filter(organisation=organisation, at__gte=since).first()


def reserve_wake(
    *, organisation: Organisation, by: User, place: Place, radius_km: int
) -> ReserveWake:
    helpers = sleepers(organisation, place, radius_km)
    with transaction.atomic():
        # One wake at a time per organisation: a double click, or two coordinators at
        # once, wake the reserve once.
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        if last_wake(organisation) is not None:
            raise PermissionDenied
        wake = ReserveWake.objects.create(
            organisation=organisation,
            by=by,
            postcode=place.postcode,
            radius_km=radius_km,
            count=len(helpers),
        )
        for helper in helpers:
            notify(
                recipient=Recipient(
                    language=helper.user.language,
                    routes=(Route(Channel.SMS, helper.user.phone),),
                    organisation_id=organisation.pk,
                    user_id=helper.user_id,
                ),
                key=f"reserve:{wake.pk}:{helper.pk}",
                body=WAKE_TEXT,
                params={"place": place.locality or place.postcode},
                urgent=False,  # waits for the end of each helper's quiet hours
            )
    return wake


@login_required
def reserve(request: AuthedRequest) -> HttpResponse:
    ids = staff_organisation_ids(request.user, (RoleKind.COORDINATOR,))
    if not ids:
        raise PermissionDenied
    organisation = Organisation.objects.get(pk=ids[0])
    form = ReserveForm(request.POST or None, organisation=organisation)
    context: dict[str, object] = {"form": form, "recent": last_wake(organisation)}
    if request.method == "POST" and form.is_valid():
        place, radius = form.cleaned_data["postcode"], form.cleaned_data["radius_km"]
        if context["recent"] is not None:
            flash.error(
                request,
                _("The reserve was woken less than %(hours)s hours ago. Please wait.")
                % {"hours": settings.RESERVE_WAKE_EVERY_HOURS},
            )
        elif request.POST.get("confirm"):
            wake = reserve_wake(
                organisation=organisation, by=request.user, place=place, radius_km=radius
            )
            flash.success(
                request, _("%(count)s helpers are being woken by SMS.") % {"count": wake.count}
            )
            return redirect("notifications:reserve")
        else:
            helpers = sleepers(organisation, place, radius)
            previews = []
            for code in sorted({h.user.language for h in helpers}):
                with translation.override(code):
                    previews.append((code, str(WAKE_TEXT) % {"place": place.locality}))
            context.update({"count": len(helpers), "previews": previews, "place": place})
    return render(request, "notifications/reserve.html", context)
