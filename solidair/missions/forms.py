import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _

from solidair.missions.models import DetailForm, Mission, Theme, Timing

DETAIL_FIELDS = {
    DetailForm.GROCERIES: ("shopping_list", "spending_cap", "payback"),
    DetailForm.PHARMACY: ("pickup_details",),
    DetailForm.DOG: ("dog_name", "dog_size", "dog_temperament"),
    DetailForm.PHONE: ("call_times",),
    DetailForm.GENERAL: (),
}
REQUIRED_DETAIL = {
    DetailForm.GROCERIES: "shopping_list",
    DetailForm.PHARMACY: "pickup_details",
    DetailForm.DOG: "dog_name",
}


class MissionForm(forms.ModelForm):
    """A mission from a call, fast with the keyboard: the theme decides which details
    are asked; details of other themes are not kept."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    submission_token = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Mission
        fields = [
            "theme",
            "details",
            "shopping_list",
            "spending_cap",
            "payback",
            "pickup_details",
            "dog_name",
            "dog_size",
            "dog_temperament",
            "call_times",
            "timing",
            "day",
            "time_from",
            "time_to",
            "urgency",
            "recurrence",
        ]
        widgets = {
            "details": forms.Textarea(attrs={"rows": 2}),
            "pickup_details": forms.Textarea(attrs={"rows": 2}),
            "shopping_list": forms.Textarea(attrs={"rows": 4}),
            "timing": forms.RadioSelect,
            "urgency": forms.RadioSelect,
            "recurrence": forms.RadioSelect,
            "day": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "time_from": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "time_to": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        theme = self.fields["theme"]
        assert isinstance(theme, forms.ModelChoiceField)
        theme.queryset = Theme.objects.filter(active=True)
        theme.empty_label = _("Choose a theme")
        self.fields["theme"].error_messages["required"] = _("Please choose a theme.")
        self.fields["spending_cap"].error_messages["min_value"] = _(
            "The spending cap must be a positive amount."
        )
        self.fields["spending_cap"].widget.attrs.update({"inputmode": "decimal", "step": "0.01"})
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean_spending_cap(self):
        cap = self.cleaned_data.get("spending_cap")
        if cap is not None and cap <= 0:
            raise forms.ValidationError(_("The spending cap must be a positive amount."))
        return cap

    def theme_forms(self) -> dict[str, str]:
        """{theme id: its detail form}, for the page's script that shows the right fields."""
        return {str(pk): form for pk, form in Theme.objects.values_list("pk", "detail_form")}

    def _clean_details(self, data: dict) -> None:
        theme = data.get("theme")
        if theme is None:
            return
        wanted = DETAIL_FIELDS.get(theme.detail_form, ())
        for fields in DETAIL_FIELDS.values():
            for name in fields:
                if name not in wanted:
                    data[name] = None if name == "spending_cap" else ""
        required = REQUIRED_DETAIL.get(theme.detail_form)
        if required and not data.get(required):
            self.add_error(required, _("Please fill this in for this theme."))

    def clean(self):
        super().clean()
        data = self.cleaned_data
        self._clean_details(data)
        if data.get("timing") != Timing.WINDOW:
            data["day"] = data["time_from"] = data["time_to"] = None
            return data
        day, start, end = data.get("day"), data.get("time_from"), data.get("time_to")
        if not (day and start and end):
            raise forms.ValidationError(
                _("Give the day and the time window, or choose “as soon as possible”.")
            )
        if end <= start:
            self.add_error("time_to", _("The window must end after it starts."))
            return data
        ends = timezone.make_aware(datetime.datetime.combine(day, end))
        if ends < timezone.now():
            self.add_error("day", _("This time window is already over."))
        return data

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
