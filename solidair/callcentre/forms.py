import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from solidair.callcentre.models import HelpLine, Outcome
from solidair.languages import Language
from solidair.people import phones
from solidair.people.models import Organisation, RoleKind, User

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _future(value: datetime.datetime | None) -> datetime.datetime | None:
    if value is not None and value < timezone.now() - datetime.timedelta(minutes=5):
        raise forms.ValidationError(_("This time is already past."))
    return value


class ShiftForm(forms.Form):
    languages = forms.MultipleChoiceField(
        label=gettext_lazy("Languages I speak"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    phone = forms.CharField(label=gettext_lazy("Phone number where calls should ring"))

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})

    def clean_phone(self) -> str:
        return phones.to_e164(self.cleaned_data["phone"], self.organisation.country)


class RotaForm(forms.Form):
    operator = forms.ModelChoiceField(label=gettext_lazy("Operator"), queryset=User.objects.none())
    day = forms.DateField(label=gettext_lazy("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    from_hour = forms.IntegerField(label=gettext_lazy("From (hour)"), min_value=0, max_value=23)
    to_hour = forms.IntegerField(label=gettext_lazy("Until (hour)"), min_value=1, max_value=24)

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        operator = self.fields["operator"]
        assert isinstance(operator, forms.ModelChoiceField)
        operator.queryset = User.objects.filter(
            roles__organisation=organisation, roles__kind=RoleKind.OPERATOR
        ).order_by("first_name")

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("from_hour") is not None and data.get("to_hour") is not None:
            if data["to_hour"] <= data["from_hour"]:
                raise forms.ValidationError(_("The shift must end after it starts."))
        return data

    def hours(self) -> list[datetime.datetime]:
        day = self.cleaned_data["day"]
        return [
            timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
            for hour in range(self.cleaned_data["from_hour"], self.cleaned_data["to_hour"])
        ]


class SupportCallForm(forms.Form):
    caller_name = forms.CharField(label=gettext_lazy("Caller's name"), required=False)
    caller_phone = forms.CharField(label=gettext_lazy("Caller's number"), required=False)
    duration_minutes = forms.IntegerField(
        label=gettext_lazy("Duration (minutes)"), min_value=1, max_value=600
    )
    mood = forms.TypedChoiceField(
        label=gettext_lazy("How did the caller feel?"),
        coerce=int,
        widget=forms.RadioSelect,
        choices=[
            (1, gettext_lazy("1 · very low")),
            (2, gettext_lazy("2 · low")),
            (3, gettext_lazy("3 · so-so")),
            (4, gettext_lazy("4 · good")),
            (5, gettext_lazy("5 · very good")),
        ],
    )
    referral = forms.ModelChoiceField(
        label=gettext_lazy("Referred to a help line"),
        queryset=HelpLine.objects.none(),
        required=False,
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    follow_up = forms.BooleanField(label=gettext_lazy("Call them again"), required=False)
    follow_up_at = forms.DateTimeField(
        label=gettext_lazy("Call again on"), required=False, widget=DATETIME
    )

    def __init__(self, *args, organisation: Organisation, with_caller: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        referral = self.fields["referral"]
        assert isinstance(referral, forms.ModelChoiceField)
        referral.queryset = HelpLine.objects.filter(organisation=organisation)
        if not with_caller:
            del self.fields["caller_name"], self.fields["caller_phone"]

    def clean_caller_phone(self) -> str:
        raw = self.cleaned_data.get("caller_phone", "").strip()
        return phones.to_e164(raw, self.organisation.country) if raw else ""

    def clean_follow_up_at(self):
        return _future(self.cleaned_data.get("follow_up_at"))

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("follow_up") and not data.get("follow_up_at"):
            self.add_error("follow_up_at", _("When should we call again?"))
        if not data.get("follow_up"):
            data["follow_up_at"] = None
        return data


class CallbackOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    retry_at = forms.DateTimeField(
        label=gettext_lazy("Try again on (optional)"), required=False, widget=DATETIME
    )

    def clean_retry_at(self):
        return _future(self.cleaned_data.get("retry_at"))


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500
    )


class PlaceForm(forms.Form):
    latitude = forms.FloatField(label=gettext_lazy("Latitude"), min_value=45, max_value=56)
    longitude = forms.FloatField(label=gettext_lazy("Longitude"), min_value=2, max_value=11)
