"""Reads about missions, scoped through people.selectors.scoped."""

from django.db.models import Count, QuerySet
from django.http import Http404

from solidair.missions.models import OPEN_STATES, Mission, State
from solidair.people.models import User
from solidair.people.selectors import scoped


def missions_visible_to(user: User) -> QuerySet[Mission]:
    """Staff see their organisations' missions. Helpers see theirs in the helpers app
    only (`/helpers/missions/<id>/`), which shows the helpee while the mission is under
    way and hides the helpee's number when the line can put them through."""
    return scoped(Mission.objects.all(), user).select_related(
        "theme", "helpee", "helper__user", "organisation"
    )


def mission_for(user: User, pk: int) -> Mission:
    """The mission, or 404 for anyone who is not its organisation's staff."""
    try:
        return missions_visible_to(user).get(pk=pk)
    except Mission.DoesNotExist:
        raise Http404 from None


def missions_in_state(user: User, *states: str) -> QuerySet[Mission]:
    return (
        scoped(Mission.objects.all(), user)
        .filter(state__in=states)
        .select_related("theme", "helpee")
    )


def state_counts(user: User) -> dict[str, int]:
    counts = dict.fromkeys(State.values, 0)
    rows = scoped(Mission.objects.all(), user).values("state").annotate(n=Count("pk"))
    counts.update({row["state"]: row["n"] for row in rows})
    return counts


def open_missions_of_helper(user: User) -> QuerySet[Mission]:
    return Mission.objects.filter(helper__user=user, state__in=OPEN_STATES).select_related(
        "theme", "helpee"
    )
