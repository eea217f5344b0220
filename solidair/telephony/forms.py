"""The coordinators' forms for the help line: a blocked caller, the line's settings, an
opening, a further number. Numbers are read as people type them and kept in E.164."""

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from solidair.people import phones
from solidair.people.models import Organisation
from solidair.telephony.models import BlockedCaller, OpeningHours, RingStrategy


def _e164(raw: str, organisation: Organisation, *, foreign_ok: bool) -> str:
    try:
        return phones.to_e164(raw, organisation.country)
    except ValidationError as error:
        if foreign_ok and error.code == "foreign":
            # Solidair never calls a blocked number: a foreign one may be blocked too.
            number = phones.normalise_or_none(raw, organisation.country)
            if number:
                return number
        raise


class BlockedCallerForm(forms.Form):
    number = forms.CharField(
        label=_("Phone number"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    reason = forms.CharField(
        label=_("Why"),
        max_length=200,
        help_text=_("What happened, for the other coordinators. Never a caller's health."),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_number(self) -> str:
        number = _e164(self.cleaned_data["number"], self.organisation, foreign_ok=True)
        if BlockedCaller.objects.filter(organisation=self.organisation, number=number).exists():
            raise ValidationError(
                _("%(number)s is already blocked."),
                code="duplicate",
                params={"number": phones.national(number)},
            )
        return number

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Please say why this number is blocked."), code="required")
        return reason


class LineSettingsForm(forms.Form):
    ring_strategy = forms.ChoiceField(
        label=_("How operators' phones ring"),
        choices=RingStrategy.choices,
        widget=forms.RadioSelect,
    )
    ring_seconds = forms.IntegerField(
        label=_("Seconds an operator's phone rings"), min_value=5, max_value=60
    )
    wait_limit_seconds = forms.IntegerField(
        label=_("Seconds a caller waits before the voicemail"), min_value=30, max_value=1200
    )
    closed_on_public_holidays = forms.BooleanField(
        label=_("Closed on public holidays"), required=False
    )


# As people type an hour: 09:00, 9:00, 9h00, 9h, 9.00, 0900.
HOUR_FORMATS = ["%H:%M", "%Hh%M", "%Hh", "%H.%M", "%H%M"]


class ClosingTimeField(forms.TimeField):
    """A closing time: "24:00" (or "00:00") is midnight at the end of the day, kept as
    its last moment so that an opening never spans two days."""

    def to_python(self, value: Any) -> datetime.time | None:
        if isinstance(value, str) and value.strip().replace(".", ":").replace("h", ":") in (
            "24:00",
            "24",
            "24:",
            "00:00",
            "0:00",
        ):
            return datetime.time.max
        return super().to_python(value)

    def prepare_value(self, value: Any) -> Any:
        return "24:00" if value == datetime.time.max else super().prepare_value(value)


class OpeningHoursForm(forms.Form):
    weekday = forms.TypedChoiceField(
        label=_("Day"),
        coerce=int,
        choices=list(OpeningHours._meta.get_field("weekday").choices or []),
    )
    opens = forms.TimeField(
        label=_("Opens at"),
        input_formats=HOUR_FORMATS,
        widget=forms.TimeInput(format="%H:%M", attrs={"inputmode": "numeric", "size": 6}),
        help_text=_("Hours and minutes, for example 09:00."),
    )
    closes = ClosingTimeField(
        label=_("Closes at"),
        input_formats=HOUR_FORMATS,
        widget=forms.TimeInput(format="%H:%M", attrs={"inputmode": "numeric", "size": 6}),
        help_text=_("For example 17:30; 24:00 for midnight."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens"), data.get("closes")
        if opens is not None and closes is not None and closes <= opens:
            self.add_error(
                "closes",
                ValidationError(
                    _("The line must close after it opens (%(opens)s)."),
                    code="closes_before_opens",
                    params={"opens": opens.strftime("%H:%M")},
                ),
            )
        return data


class LineNumberForm(forms.Form):
    number = forms.CharField(
        label=_("Phone number"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    label = forms.CharField(
        label=_("Label"),
        max_length=80,
        required=False,
        help_text=_("For example: the number on the posters in Liège."),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_number(self) -> str:
        return _e164(self.cleaned_data["number"], self.organisation, foreign_ok=False)
