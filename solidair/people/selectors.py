"""Reads about people, and the one place where data is scoped to an organisation."""

from typing import TypeVar

from django.db.models import Model, Q, QuerySet
from django.shortcuts import get_object_or_404

from solidair.people.models import STAFF_ROLES, AccessLog, Helpee, RoleKind, User

M = TypeVar("M", bound=Model)


def role_kinds(user: User) -> dict[int, set[str]]:
    """{organisation id: {role kinds}}, read once per request and kept on the user."""
    cached = getattr(user, "_solidair_roles", None)
    if cached is None:
        cached = {}
        if user.is_authenticated:
            for organisation_id, kind in user.roles.values_list("organisation_id", "kind"):
                cached.setdefault(organisation_id, set()).add(kind)
        user._solidair_roles = cached  # type: ignore[attr-defined]
    return cached


def has_role(user: User, organisation_id: int, *kinds: str) -> bool:
    return bool(role_kinds(user).get(organisation_id, set()) & set(kinds))


def is_trusted_operator(user: User, organisation_id: int) -> bool:
    return user.roles.filter(
        organisation_id=organisation_id, kind=RoleKind.OPERATOR, trusted=True
    ).exists()


def staff_organisation_ids(user: User, kinds: tuple[str, ...] = STAFF_ROLES) -> list[int]:
    """In a fixed order (the oldest organisation first), so that a page showing one of
    them shows the same one each time."""
    return sorted(org for org, held in role_kinds(user).items() if held & set(kinds))


def user_kinds(user: User) -> set[str]:
    """Every role the user holds, in any organisation."""
    return set().union(*role_kinds(user).values()) if role_kinds(user) else set()


def scoped(queryset: QuerySet[M], user: User, kinds: tuple[str, ...] = STAFF_ROLES) -> QuerySet[M]:
    """Only the rows of the organisations where `user` holds one of `kinds`.

    Every staff read of organisation data goes through here."""
    return queryset.filter(organisation_id__in=staff_organisation_ids(user, kinds))


def helpees_visible_to(user: User) -> QuerySet[Helpee]:
    return scoped(Helpee.objects.all(), user)


def helpee_for(user: User, pk: int) -> Helpee:
    """The helpee, or 404 for anyone outside the helpee's organisation's staff."""
    return get_object_or_404(helpees_visible_to(user).prefetch_related("phones"), pk=pk)


def possible_duplicates(
    organisation_id: int,
    *,
    numbers: list[str],
    first_name: str,
    last_name: str,
    postcode: str,
    street: str,
) -> QuerySet[Helpee]:
    """Helpees with one of these numbers, or with this name at this address."""
    same_person = Q(
        first_name__iexact=first_name.strip(),
        last_name__iexact=last_name.strip(),
        postcode=postcode,
    )
    if street.strip():
        same_person &= Q(street__iexact=street.strip())
    return (
        Helpee.objects.filter(organisation_id=organisation_id)
        .filter(Q(phones__number__in=numbers) | same_person)
        .distinct()
    )


def access_log_of(helpee: Helpee) -> QuerySet[AccessLog]:
    return helpee.access_log.select_related("user")
