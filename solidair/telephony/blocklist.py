"""The organisation's blocked callers: numbers that abused the line, kept by its
coordinators. A blocked number's calls are refused before the menu, and counted."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from solidair.people import phones
from solidair.people.models import Organisation, RoleKind, User
from solidair.people.selectors import has_role
from solidair.telephony.models import BlockedCaller

KEEPERS = (RoleKind.COORDINATOR, RoleKind.ADMIN)


class BlocklistError(Exception):
    """A refusal to show to the coordinator, already translated."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def blocked(organisation: Organisation, number: str) -> bool:
    """True when calls from `number` are refused on this organisation's line; counts the
    refusal."""
    if not number:
        return False
    refused = BlockedCaller.objects.filter(organisation=organisation, number=number).update(
        calls_refused=F("calls_refused") + 1
    )
    return refused > 0


def blocked_callers_of(organisation: Organisation) -> QuerySet[BlockedCaller]:
    return BlockedCaller.objects.filter(organisation=organisation).select_related("added_by")


def _require_keeper(by: User, organisation: Organisation) -> None:
    if not has_role(by, organisation.pk, *KEEPERS):
        raise PermissionDenied


def blocked_caller_add(
    *, organisation: Organisation, number: str, reason: str, by: User
) -> BlockedCaller:
    """Block `number` (E.164). The same number twice is refused with a clear message."""
    _require_keeper(by, organisation)
    try:
        with transaction.atomic():
            return BlockedCaller.objects.create(
                organisation=organisation, number=number, reason=reason.strip(), added_by=by
            )
    except IntegrityError:
        raise BlocklistError(
            _("%(number)s is already blocked.") % {"number": phones.national(number)}
        ) from None


def blocked_caller_remove(*, blocked_caller: BlockedCaller, by: User) -> None:
    _require_keeper(by, blocked_caller.organisation)
    BlockedCaller.objects.filter(pk=blocked_caller.pk).delete()
