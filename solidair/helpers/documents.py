"""Check digits of identity documents, verified at upload and then forgotten.

The machine-readable zone (MRZ) is checked with `mrz`, the Belgian national number
with python-stdnum. Only the outcome is kept (IdentityDocument.*_checked)."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from mrz.base.errors import FieldError
from mrz.checker.td1 import TD1CodeChecker
from mrz.checker.td3 import TD3CodeChecker
from stdnum.be import nn
from stdnum.exceptions import ValidationError as StdnumError


def mrz_lines(raw: str) -> list[str]:
    """The zone as typed: upper case, no spaces, one line per printed line."""
    lines = ["".join(line.split()).upper() for line in raw.strip().splitlines()]
    return [line for line in lines if line]


def mrz_check(raw: str) -> datetime.date | None:
    """Verify every check digit of an identity card (3 × 30) or passport (2 × 44) zone.

    Returns the expiry date it holds; raises a ValidationError that says what is wrong."""
    lines = mrz_lines(raw)
    if [len(line) for line in lines] == [30, 30, 30]:
        checker_class: type = TD1CodeChecker
        expiry = lines[1][8:14]
    elif [len(line) for line in lines] == [44, 44]:
        checker_class = TD3CodeChecker
        expiry = lines[1][21:27]
    else:
        raise ValidationError(
            _(
                "The machine-readable zone has 3 lines of 30 characters on an identity card, "
                "or 2 lines of 44 on a passport. Please copy it again, line by line."
            ),
            code="mrz_shape",
        )
    try:
        valid = bool(checker_class("\n".join(lines)))
    except (FieldError, ValueError, IndexError):
        valid = False
    if not valid:
        raise ValidationError(
            _(
                "The check digits of the machine-readable zone do not match. Please compare "
                "each character with your document (0 and O, 1 and I, 8 and B are often "
                "mixed up), or leave this field empty."
            ),
            code="mrz_digits",
        )
    try:
        return datetime.datetime.strptime(expiry, "%y%m%d").date()  # noqa: DTZ007
    except ValueError:
        return None


def national_number_check(raw: str) -> None:
    """Verify a Belgian national number's check digits (as printed: 85.07.30-033.28)."""
    try:
        nn.validate(raw)
    except StdnumError:
        raise ValidationError(
            _(
                "This national number is not valid: its check digits do not match. Please "
                "compare the 11 digits with your card, or leave this field empty."
            ),
            code="national_number",
        ) from None
