"""The consent text read to a helpee (its version is settings.CONSENT_TEXT_VERSION)."""

from django.utils import translation
from django.utils.translation import gettext as _

from solidair.languages import CODES


def consent_text(language: str) -> str:
    with translation.override(language if language in CODES else "fr"):
        return _(
            "Solidair keeps your name, address and phone numbers so that a volunteer can help "
            "you. Only our staff and the volunteer who helps you will see them. You can ask us "
            "at any time to delete them. Do you agree?"
        )
