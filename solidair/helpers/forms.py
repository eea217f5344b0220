import datetime
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from solidair.helpers import documents
from solidair.helpers.images import image_check
from solidair.helpers.models import DocumentType
from solidair.languages import Language
from solidair.missions.models import Payback, Theme
from solidair.people import phones
from solidair.people.models import Organisation, Transport, User
from solidair.places import postcodes

DAYS = [
    ("mon", gettext_lazy("Monday")),
    ("tue", gettext_lazy("Tuesday")),
    ("wed", gettext_lazy("Wednesday")),
    ("thu", gettext_lazy("Thursday")),
    ("fri", gettext_lazy("Friday")),
    ("sat", gettext_lazy("Saturday")),
    ("sun", gettext_lazy("Sunday")),
]
PARTS = [
    ("morning", gettext_lazy("Morning")),
    ("afternoon", gettext_lazy("Afternoon")),
    ("evening", gettext_lazy("Evening")),
]
SLOTS = [f"{day}:{part}" for day, _day in DAYS for part, _part in PARTS]


def availability_from_slots(slots: list[str]) -> dict[str, list[str]]:
    """["mon:morning", "mon:evening"] → {"mon": ["morning", "evening"]}, in week order."""
    chosen = set(slots)
    result: dict[str, list[str]] = {}
    for day, _day in DAYS:
        parts = [part for part, _part in PARTS if f"{day}:{part}" in chosen]
        if parts:
            result[day] = parts
    return result


def slots_from_availability(availability: dict[str, list[str]]) -> list[str]:
    return [f"{day}:{part}" for day, parts in availability.items() for part in parts]


@dataclass
class GridCell:
    value: str
    id: str
    label: str
    checked: bool


class AvailabilityMixin(forms.Form):
    availability = forms.MultipleChoiceField(
        label=gettext_lazy("When I can help, each week"),
        choices=[(slot, slot) for slot in SLOTS],
        required=False,
    )
    available_now = forms.BooleanField(
        label=gettext_lazy("I am available now"),
        required=False,
        help_text=gettext_lazy("For missions that cannot wait. You can switch it off at any time."),
    )

    def availability_grid(self) -> list[tuple[str, list[GridCell]]]:
        """Rows of the day × part-of-day grid, ticked as the helper left them."""
        if isinstance(self.data, QueryDict):
            chosen = set(self.data.getlist("availability"))
        else:
            chosen = set(self.initial.get("availability", []))
        rows = []
        for day, day_label in DAYS:
            cells = [
                GridCell(
                    value=f"{day}:{part}",
                    id=f"id_availability_{day}_{part}",
                    label=_("%(day)s, %(part)s") % {"day": day_label, "part": part_label},
                    checked=f"{day}:{part}" in chosen,
                )
                for part, part_label in PARTS
            ]
            rows.append((str(day_label), cells))
        return rows

    def clean(self):
        super().clean()
        data: dict[str, Any] = self.cleaned_data
        if not data.get("availability") and not data.get("available_now"):
            self.add_error(
                "availability",
                _(
                    "Tell us when you can help: tick at least one part of a day in the week, "
                    "or “I am available now”. Without it, no mission can be offered to you."
                ),
            )
        return data


class HelperSignupForm(AvailabilityMixin, forms.Form):
    """A volunteer joins: who they are, where they live, when and what they will do."""

    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=80)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=80)
    email = forms.EmailField(label=gettext_lazy("Email address"))
    password = forms.CharField(
        label=gettext_lazy("Choose a password"),
        # Shown again after a mistake elsewhere, so that nothing typed is lost.
        widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy("At least 8 characters, not only digits."),
    )
    phone = forms.CharField(
        label=gettext_lazy("Mobile number"),
        max_length=30,
        help_text=gettext_lazy("Missions near you are offered by text message."),
    )
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=gettext_lazy("The one where I live"),
    )
    street = forms.CharField(label=gettext_lazy("Street"), max_length=120)
    house_number = forms.CharField(label=gettext_lazy("Number"), max_length=20)
    postcode = forms.CharField(label=gettext_lazy("Postcode"), max_length=10)
    city = forms.CharField(label=gettext_lazy("City"), max_length=80, required=False)
    radius_km = forms.IntegerField(
        label=gettext_lazy("How far I will go (km)"),
        min_value=1,
        max_value=20,
        initial=3,
        help_text=gettext_lazy("From 1 to 20 km. Only the coordination team sees your address."),
    )
    languages = forms.MultipleChoiceField(
        label=gettext_lazy("Languages I speak"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Tick at least one language you speak.")},
    )
    themes = forms.ModelMultipleChoiceField(
        label=gettext_lazy("What I will do"),
        queryset=Theme.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Tick at least one kind of help.")},
    )
    transport = forms.ChoiceField(
        label=gettext_lazy("How I get around"),
        choices=Transport.choices,
        widget=forms.RadioSelect,
        initial=Transport.FOOT,
    )
    dogs_ok = forms.BooleanField(label=gettext_lazy("Dogs are fine with me"), required=False)
    max_missions_per_week = forms.IntegerField(
        label=gettext_lazy("Missions per week, at most"), min_value=1, max_value=14, initial=3
    )
    conduct = forms.BooleanField(
        label=gettext_lazy("I accept the code of conduct above."),
        error_messages={
            "required": gettext_lazy("Please read and accept the code of conduct to join.")
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.order_by("name")
        cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = organisations
        if organisations.count() < 2:
            del self.fields["organisation"]
        themes = cast(forms.ModelMultipleChoiceField, self.fields["themes"])
        themes.queryset = Theme.objects.filter(active=True)
        attrs = {
            "first_name": {"autocomplete": "given-name"},
            "last_name": {"autocomplete": "family-name"},
            "email": {"autocomplete": "email"},
            "phone": {"autocomplete": "tel", "inputmode": "tel", "placeholder": "0470 12 34 56"},
            "street": {"autocomplete": "address-line1"},
            "postcode": {"autocomplete": "postal-code", "inputmode": "numeric"},
            "city": {"autocomplete": "address-level2"},
        }
        for name, extra in attrs.items():
            self.fields[name].widget.attrs.update(extra)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(
                _("There is already an account with this email address: please log in instead.")
            )
        return email

    def organisation_candidates(self) -> list[Organisation]:
        chosen = self.cleaned_data.get("organisation")
        if chosen:
            return [chosen]
        return list(Organisation.objects.order_by("name"))

    def clean(self):
        super().clean()
        data: dict[str, Any] = self.cleaned_data
        postcode = data.get("postcode", "")
        candidates = self.organisation_candidates()
        if postcode and candidates:
            self._place(data, postcode, candidates)
        organisation = data.get("organisation_found")
        raw_phone = data.get("phone", "").strip()
        if raw_phone:
            region = organisation.country if organisation else candidates[0].country
            try:
                number = phones.to_e164(raw_phone, region)
            except ValidationError as error:
                self.add_error("phone", error)
            else:
                if phones.is_mobile(number):
                    data["phone"] = number
                else:
                    self.add_error(
                        "phone",
                        _(
                            "“%(number)s” is not a mobile number. Please give a mobile number: "
                            "missions are offered by text message."
                        )
                        % {"number": raw_phone},
                    )
        password = data.get("password")
        if password:
            user = User(
                email=data.get("email", ""),
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                validate_password(password, user)
            except ValidationError as error:
                self.add_error("password", error)
        return data

    def _place(self, data: dict, postcode: str, candidates: list[Organisation]) -> None:
        found = [
            (organisation, place)
            for organisation in candidates
            if (place := postcodes.locate(organisation.country, postcode)) is not None
        ]
        if not found:
            country = candidates[0].country
            suggestions = ", ".join(
                f"{p.postcode} {p.locality}" for p in postcodes.nearest_codes(country, postcode)
            )
            self.add_error(
                "postcode",
                _("We do not know the postcode “%(postcode)s”. Did you mean %(suggestions)s?")
                % {"postcode": postcode, "suggestions": suggestions},
            )
            return
        if len(found) > 1:
            self.add_error(
                "organisation",
                _("Several organisations work at this postcode: please choose yours."),
            )
            return
        organisation, place = found[0]
        data["organisation_found"] = organisation
        data["place"] = place
        data["postcode"] = place.postcode
        if not data.get("city"):
            data["city"] = place.locality


class IdentityForm(forms.Form):
    """Photos of an identity document, and optionally what is printed on it to check."""

    document_type = forms.ChoiceField(
        label=gettext_lazy("Document"), choices=DocumentType.choices, initial=DocumentType.ID_CARD
    )
    expires_on = forms.DateField(
        label=gettext_lazy("Valid until"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    front = forms.FileField(
        label=gettext_lazy("Photo of the front"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
        help_text=gettext_lazy("A sharp photo, at most 10 MB."),
    )
    back = forms.FileField(
        label=gettext_lazy("Photo of the back"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
        help_text=gettext_lazy("For an identity card or residence card; not for a passport."),
    )
    mrz = forms.CharField(
        label=gettext_lazy("Machine-readable zone (optional)"),
        required=False,
        max_length=200,
        widget=forms.Textarea(
            attrs={"rows": 3, "autocomplete": "off", "spellcheck": "false", "class": "mono"}
        ),
        help_text=gettext_lazy(
            "The lines of letters, digits and <<< at the bottom of the document. We only "
            "check them and never keep them."
        ),
    )
    national_number = forms.CharField(
        label=gettext_lazy("Belgian national number (optional)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
        help_text=gettext_lazy(
            "11 digits, such as 85.07.30-033.28. We only check it and never keep it."
        ),
    )

    def clean_front(self):
        return image_check(self.cleaned_data["front"])

    def clean_back(self):
        back = self.cleaned_data.get("back")
        return image_check(back) if back else back

    def clean_expires_on(self) -> datetime.date:
        expires_on = self.cleaned_data["expires_on"]
        if expires_on < timezone.localdate():
            raise ValidationError(
                _("This document expired on %(date)s: please use a valid one.")
                % {"date": expires_on.strftime("%d/%m/%Y")}
            )
        return expires_on

    def clean_mrz(self) -> str:
        raw = self.cleaned_data.get("mrz", "")
        if raw.strip():
            self.mrz_expiry = documents.mrz_check(raw)
        return raw

    def clean_national_number(self) -> str:
        raw = self.cleaned_data.get("national_number", "").strip()
        if raw:
            documents.national_number_check(raw)
        return raw

    def clean(self):
        super().clean()
        data: dict[str, Any] = self.cleaned_data
        if data.get("document_type") in (DocumentType.ID_CARD, DocumentType.RESIDENCE):
            if "back" in self.fields and not data.get("back") and "back" not in self.errors:
                self.add_error("back", _("Please add a photo of the back of the card."))
        mrz_expiry = getattr(self, "mrz_expiry", None)
        expires_on = data.get("expires_on")
        if mrz_expiry and expires_on and mrz_expiry != expires_on:
            self.add_error(
                "expires_on",
                _(
                    "The machine-readable zone says the document is valid until %(date)s: "
                    "please check the date."
                )
                % {"date": mrz_expiry.strftime("%d/%m/%Y")},
            )
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            ("approve", gettext_lazy("Approve: the document is genuine and matches the profile")),
            ("reject", gettext_lazy("Reject")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason (told to the helper)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        super().clean()
        data: dict[str, Any] = self.cleaned_data
        if data.get("decision") == "reject" and not data.get("reason", "").strip():
            self.add_error("reason", _("Please say why, so that the helper can do it again."))
        return data


class DoneForm(forms.Form):
    """Reporting a mission done. Groceries ask for the money; other themes for nothing."""

    amount_spent = forms.DecimalField(
        label=gettext_lazy("Amount spent (€)"),
        min_value=0,
        max_digits=7,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    receipt = forms.FileField(
        label=gettext_lazy("Photo of the receipt"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
        help_text=gettext_lazy("Give the receipt itself to the helpee."),
    )
    payback = forms.ChoiceField(
        label=gettext_lazy("How the helpee paid you back"),
        choices=Payback.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, groceries: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not groceries:
            for name in ("amount_spent", "receipt", "payback"):
                del self.fields[name]

    def clean_receipt(self):
        return image_check(self.cleaned_data["receipt"])


class ReleaseForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why can't you make it?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("Please say why, in a few words.")},
    )


class UnreachableForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What happened? (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=gettext_lazy("How did it go?"),
        coerce=int,
        choices=[
            (5, gettext_lazy("Very well")),
            (4, gettext_lazy("Well")),
            (3, gettext_lazy("All right")),
            (2, gettext_lazy("Not so well")),
            (1, gettext_lazy("Badly")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=gettext_lazy("Anything the team should know?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AvailabilityForm(AvailabilityMixin, forms.Form):
    """The week grid and the "available now" switch, changed from the helper's home."""
