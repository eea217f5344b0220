from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from solidair.callcentre import services
from solidair.callcentre.forms import PlaceForm
from solidair.people.consent import consent_text
from solidair.people.http import AuthedRequest
from solidair.people.models import Helpee, RoleKind
from solidair.people.selectors import has_role, helpee_for, helpees_visible_to
from solidair.people.services import access_log_record, access_log_record_all


@login_required
def consent_text_view(request: AuthedRequest) -> HttpResponse:
    """The consent text in the helpee's language, swapped in when the operator picks it."""
    language = request.GET.get("language", "fr")
    return render(
        request,
        "callcentre/_consent_text.html",
        {"consent_text": consent_text(language), "language": language},
    )


@login_required
def helpee_merge(request: AuthedRequest, pk: int) -> HttpResponse:
    """A moderator merges a duplicate into this helpee, keeping every mission and history."""
    kept = helpee_for(request.user, pk)
    if not has_role(request.user, kept.organisation_id, RoleKind.MODERATOR, RoleKind.COORDINATOR):
        raise PermissionDenied
    other = None
    other_pk = request.POST.get("other") or request.GET.get("other")
    if other_pk and other_pk.isdigit():
        other = helpees_visible_to(request.user).filter(pk=int(other_pk)).first()
    if request.method == "POST" and other is not None and request.POST.get("confirm"):
        try:
            services.helpee_merge(kept=kept, removed=other, by=request.user)
        except services.CallcentreError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("The two records are now one: %(name)s.") % {"name": kept.full_name}
            )
            return redirect("helpee_detail", pk=kept.pk)
    query = request.GET.get("q", "").strip()
    candidates: list[Helpee] = []
    if query:
        candidates = list(
            helpees_visible_to(request.user)
            .exclude(pk=kept.pk)
            .filter(last_name__icontains=query)[:20]
        )
    access_log_record_all(
        user=request.user,
        helpees=[kept, *([other] if other else []), *candidates],
        page=request.path,
    )
    return render(
        request,
        "callcentre/helpee_merge.html",
        {"kept": kept, "other": other, "query": query, "candidates": candidates},
    )


@login_required
def helpee_place(request: AuthedRequest, pk: int) -> HttpResponse:
    """Place the helpee's door on a map when the postcode centre is not precise enough."""
    helpee = helpee_for(request.user, pk)
    form = PlaceForm(
        request.POST or None,
        initial={"latitude": helpee.latitude, "longitude": helpee.longitude},
    )
    if request.method == "POST" and form.is_valid():
        services.helpee_place(
            helpee=helpee,
            by=request.user,
            latitude=form.cleaned_data["latitude"],
            longitude=form.cleaned_data["longitude"],
        )
        messages.success(request, _("The door is placed."))
        return redirect("helpee_detail", pk=helpee.pk)
    access_log_record(user=request.user, helpee=helpee, page=request.path)
    return render(
        request,
        "callcentre/helpee_place.html",
        {
            "helpee": helpee,
            "form": form,
            "tiles_url": settings.MAP_TILES_URL,
            "tiles_attribution": settings.MAP_TILES_ATTRIBUTION,
        },
    )
