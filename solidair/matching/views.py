from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from solidair.matching.models import Offer
from solidair.matching.selectors import rank_helpers
from solidair.missions.models import Mission
from solidair.people.models import Helper, RoleKind
from solidair.people.selectors import scoped

RANKING_ROLES = (RoleKind.OPERATOR, RoleKind.MODERATOR, RoleKind.COORDINATOR)


@login_required
def mission_ranking(request: HttpRequest, pk: int) -> HttpResponse:
    """Who matching would offer the mission to, and why: for the organisation's staff."""
    mission = (
        scoped(Mission.objects.all(), request.user, RANKING_ROLES)  # type: ignore[arg-type]
        .select_related("theme", "helpee")
        .filter(pk=pk)
        .first()
    )
    if mission is None:
        raise Http404
    candidates = rank_helpers(mission=mission)
    helpers = Helper.objects.select_related("user").in_bulk([c.helper_id for c in candidates])
    offers = {o.helper_id: o for o in Offer.objects.filter(mission=mission)}
    rows = [
        {"candidate": c, "helper": helpers[c.helper_id], "offer": offers.get(c.helper_id)}
        for c in candidates
        if c.helper_id in helpers
    ]
    return render(
        request,
        "matching/ranking.html",
        {"mission": mission, "rows": rows, "offers": offers.values()},
    )
