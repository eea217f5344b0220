"""How an organisation's help line rings and when it is open, kept by its coordinators:
the ring strategy and waits, the opening hours per weekday, and its further numbers."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from solidair.people import phones
from solidair.people.models import Organisation, User
from solidair.people.selectors import has_role
from solidair.telephony.blocklist import KEEPERS
from solidair.telephony.models import LineNumber, LineSettings, OpeningHours


class LineError(Exception):
    """A refusal to show to the coordinator, already translated."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def _require_keeper(by: User, organisation: Organisation) -> None:
    if not has_role(by, organisation.pk, *KEEPERS):
        raise PermissionDenied


def opening_hours_of(organisation: Organisation) -> QuerySet[OpeningHours]:
    return OpeningHours.objects.filter(organisation=organisation)


def line_numbers_of(organisation: Organisation) -> QuerySet[LineNumber]:
    return LineNumber.objects.filter(organisation=organisation)


def line_settings_save(
    *,
    organisation: Organisation,
    by: User,
    ring_strategy: str,
    ring_seconds: int,
    wait_limit_seconds: int,
    closed_on_public_holidays: bool,
) -> LineSettings:
    _require_keeper(by, organisation)
    saved, _created = LineSettings.objects.update_or_create(
        organisation=organisation,
        defaults={
            "ring_strategy": ring_strategy,
            "ring_seconds": ring_seconds,
            "wait_limit_seconds": wait_limit_seconds,
            "closed_on_public_holidays": closed_on_public_holidays,
        },
    )
    return saved


def _hhmm(moment: datetime.time) -> str:
    return "24:00" if moment == datetime.time.max else moment.strftime("%H:%M")


def opening_hours_add(
    *,
    organisation: Organisation,
    by: User,
    weekday: int,
    opens: datetime.time,
    closes: datetime.time,
) -> OpeningHours:
    """One more opening on a weekday. Closing before opening, or overlapping another
    opening of the same day, is refused with a clear message."""
    _require_keeper(by, organisation)
    if closes <= opens:
        raise LineError(
            _("The line must close after it opens (%(opens)s).") % {"opens": _hhmm(opens)},
            field="closes",
        )
    with transaction.atomic():
        # One coordinator at a time per organisation, so two overlapping rows cannot slip in.
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        overlap = (
            opening_hours_of(organisation)
            .filter(weekday=weekday, opens__lt=closes, closes__gt=opens)
            .first()
        )
        if overlap is not None:
            raise LineError(
                _("This overlaps the opening from %(opens)s to %(closes)s on that day.")
                % {"opens": _hhmm(overlap.opens), "closes": _hhmm(overlap.closes)},
                field="opens",
            )
        return OpeningHours.objects.create(
            organisation=organisation, weekday=weekday, opens=opens, closes=closes
        )


def opening_hours_remove(*, opening_hours: OpeningHours, by: User) -> None:
    _require_keeper(by, opening_hours.organisation)
    OpeningHours.objects.filter(pk=opening_hours.pk).delete()


def line_number_add(
    *, organisation: Organisation, by: User, number: str, label: str = ""
) -> LineNumber:
    """A further number (E.164) that rings this line. A number already ringing a line,
    this one or another organisation's, is refused."""
    _require_keeper(by, organisation)
    taken = _("%(number)s already rings a help line.") % {"number": phones.national(number)}
    if Organisation.objects.filter(hotline_number=number).exists():
        raise LineError(taken, field="number")
    try:
        with transaction.atomic():
            return LineNumber.objects.create(
                organisation=organisation, number=number, label=label.strip()
            )
    except IntegrityError:
        raise LineError(taken, field="number") from None


def line_number_remove(*, line_number: LineNumber, by: User) -> None:
    _require_keeper(by, line_number.organisation)
    LineNumber.objects.filter(pk=line_number.pk).delete()
