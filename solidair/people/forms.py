from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from solidair.people import phones
from solidair.people.models import Helpee, LocationSource, Organisation
from solidair.people.services import HelpeeDetails
from solidair.places import geocoder, postcodes


class HelpeeForm(forms.ModelForm):
    """A new helpee, as an operator records them during a call."""

    phone_1 = forms.CharField(label=gettext_lazy("Phone number"), max_length=30)
    phone_2 = forms.CharField(
        label=gettext_lazy("Other phone number"), max_length=30, required=False
    )
    manual_latitude = forms.FloatField(
        label=gettext_lazy("Latitude (optional)"), required=False, min_value=-90, max_value=90
    )
    manual_longitude = forms.FloatField(
        label=gettext_lazy("Longitude (optional)"), required=False, min_value=-180, max_value=180
    )
    consent = forms.BooleanField(
        label=gettext_lazy("I have read the consent text aloud and the helpee agrees."),
        required=True,
        error_messages={
            "required": gettext_lazy(
                "The helpee's consent is required before anything about them is saved."
            )
        },
    )

    class Meta:
        model = Helpee
        fields = [
            "first_name",
            "last_name",
            "language",
            "street",
            "house_number",
            "postcode",
            "city",
            "notes_for_helpers",
            "emergency_contact_name",
            "emergency_contact_phone",
        ]
        widgets = {"notes_for_helpers": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["phone_1"].widget.attrs.update(
            {"autocomplete": "off", "inputmode": "tel", "placeholder": "0470 12 34 56"}
        )
        self.fields["phone_2"].widget.attrs.update({"autocomplete": "off", "inputmode": "tel"})
        self.fields["postcode"].widget.attrs.update({"inputmode": "numeric"})
        for name in ("first_name", "last_name", "street", "city", "emergency_contact_name"):
            if name in self.fields:
                self.fields[name].widget.attrs["autocomplete"] = "off"
        if "emergency_contact_phone" in self.fields:
            self.fields["emergency_contact_phone"].widget.attrs.update({"inputmode": "tel"})

    def _phone(self, name: str) -> str:
        raw = self.cleaned_data.get(name, "").strip()
        return phones.to_e164(raw, self.organisation.country) if raw else ""

    def clean_phone_1(self) -> str:
        return self._phone("phone_1")

    def clean_phone_2(self) -> str:
        return self._phone("phone_2")

    def clean_emergency_contact_phone(self) -> str:
        return self._phone("emergency_contact_phone")

    def clean(self):
        super().clean()
        data = self.cleaned_data
        manual = data.get("manual_latitude"), data.get("manual_longitude")
        if (manual[0] is None) != (manual[1] is None):
            raise ValidationError(_("Give both the latitude and the longitude, or neither."))
        postcode = data.get("postcode", "")
        if not postcode:
            return data
        country = self.organisation.country
        place = postcodes.locate(country, postcode)
        if manual[0] is not None:
            data["location"] = (manual[0], manual[1], LocationSource.MANUAL)
        elif place is None:
            suggestions = ", ".join(
                f"{p.postcode} {p.locality}" for p in postcodes.nearest_codes(country, postcode)
            )
            self.add_error(
                "postcode",
                _(
                    "We do not know the postcode “%(postcode)s”. Did you mean %(suggestions)s? "
                    "If it is right, place the address by hand with its latitude and longitude."
                )
                % {"postcode": postcode, "suggestions": suggestions},
            )
            return data
        else:
            street = geocoder.geocode(
                street=data.get("street", ""),
                house_number=data.get("house_number", ""),
                postcode=place.postcode,
                city=data.get("city", ""),
                country=country,
            )
            if street is not None:
                data["location"] = (street.latitude, street.longitude, LocationSource.GEOCODER)
            else:
                data["location"] = (place.latitude, place.longitude, LocationSource.POSTCODE)
        if place is not None:
            data["postcode"] = place.postcode
            if not data.get("city"):
                data["city"] = place.locality
        return data

    def helpee_details(self) -> HelpeeDetails:
        data = self.cleaned_data
        latitude, longitude, source = data["location"]
        return HelpeeDetails(
            first_name=data["first_name"],
            last_name=data["last_name"],
            language=data["language"],
            postcode=data["postcode"],
            latitude=latitude,
            longitude=longitude,
            location_source=source,
            street=data.get("street", ""),
            house_number=data.get("house_number", ""),
            city=data.get("city", ""),
            country=self.organisation.country,
            notes_for_helpers=data.get("notes_for_helpers", ""),
            emergency_contact_name=data.get("emergency_contact_name", ""),
            emergency_contact_phone=data.get("emergency_contact_phone", ""),
        )

    def phone_numbers(self) -> list[str]:
        numbers = [self.cleaned_data["phone_1"], self.cleaned_data.get("phone_2", "")]
        return list(dict.fromkeys(n for n in numbers if n))


def consent_text_version() -> str:
    return settings.CONSENT_TEXT_VERSION
