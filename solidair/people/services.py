"""Writes about people: helpees, their phones and consent, and the access log."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from solidair.people import phones
from solidair.people.models import (
    STAFF_ROLES,
    AccessLog,
    Helpee,
    HelpeePhone,
    LocationSource,
    Organisation,
    PhoneKind,
    User,
)
from solidair.people.selectors import has_role


@dataclass
class HelpeeDetails:
    first_name: str
    last_name: str
    language: str
    postcode: str
    latitude: float
    longitude: float
    location_source: str = LocationSource.POSTCODE
    street: str = ""
    house_number: str = ""
    city: str = ""
    country: str = "BE"
    notes_for_helpers: str = ""
    emergency_contact_name: str = ""
    emergency_contact_phone: str = ""


def helpee_create(
    *,
    organisation: Organisation,
    by: User,
    details: HelpeeDetails,
    phone_numbers: list[str],
    consent: bool,
) -> Helpee:
    """Record a new helpee. Consent is required: without it nothing is stored."""
    if not has_role(by, organisation.pk, *STAFF_ROLES):
        raise PermissionDenied(_("You do not work for this organisation."))
    if not consent:
        raise ValidationError(
            _("The helpee's consent is required before anything about them is saved."),
            code="no_consent",
        )
    with transaction.atomic():
        helpee = Helpee.objects.create(
            organisation=organisation,
            consent_recorded_by=by,
            consent_recorded_at=timezone.now(),
            consent_text_version=settings.CONSENT_TEXT_VERSION,
            **details.__dict__,
        )
        helpee_phones_set(helpee=helpee, numbers=phone_numbers)
    return helpee


def helpee_phones_set(*, helpee: Helpee, numbers: list[str]) -> None:
    """Replace a helpee's numbers; each is E.164 already (see phones.to_e164)."""
    helpee.phones.exclude(number__in=numbers).delete()
    known = set(helpee.phones.values_list("number", flat=True))
    for number in numbers:
        if number not in known:
            kind = PhoneKind.MOBILE if phones.is_mobile(number) else PhoneKind.LANDLINE
            HelpeePhone.objects.create(helpee=helpee, number=number, kind=kind)
            known.add(number)


def access_log_record(*, user: User, helpee: Helpee, page: str) -> None:
    AccessLog.objects.create(user=user, helpee=helpee, page=page[:200])


def access_log_record_all(*, user: User, helpees: Iterable[Helpee], page: str) -> None:
    """One page showing several helpees' details: one line each, in one query."""
    AccessLog.objects.bulk_create(
        AccessLog(user=user, helpee=helpee, page=page[:200]) for helpee in helpees
    )
