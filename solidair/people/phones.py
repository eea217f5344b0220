"""Phone numbers: parsed with `phonenumbers`, stored in E.164, shown in national format."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ACCEPTED_REGIONS = {"BE", "CH", "NL", "LU", "FR", "DE"}


def parse(raw: str, region: str = "BE") -> phonenumbers.PhoneNumber:
    """Read a number as people type it ("0470 12 34 56", "0032 470...", "+32...").

    Raises a ValidationError that says what is wrong, in the user's language."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        raise ValidationError(
            _("“%(number)s” is not a phone number we can read."),
            code="unparseable",
            params={"number": raw},
        ) from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("“%(number)s” is not a valid phone number: please check the digits."),
            code="invalid",
            params={"number": raw},
        )
    if phonenumbers.region_code_for_number(number) not in ACCEPTED_REGIONS:
        raise ValidationError(
            _("“%(number)s” is a foreign number that Solidair cannot call."),
            code="foreign",
            params={"number": raw},
        )
    return number


def to_e164(raw: str, region: str = "BE") -> str:
    return phonenumbers.format_number(parse(raw, region), phonenumbers.PhoneNumberFormat.E164)


def normalise_or_none(raw: str, region: str = "BE") -> str | None:
    """E.164 for a lookup, or None when the text is not a number (a name, say)."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_mobile(e164: str) -> bool:
    kind = phonenumbers.number_type(phonenumbers.parse(e164))
    return kind in (phonenumbers.PhoneNumberType.MOBILE,)


def national(e164: str) -> str:
    try:
        number = phonenumbers.parse(e164)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
