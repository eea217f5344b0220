"""The public request form: a helpee, or someone on their behalf, asks for help on the web.

Short, large and accessible; no captcha: a honeypot field and rate limits per IP address
and per phone number. Every request goes to review (DESIGN.md, core loop step 3)."""

import datetime
import hashlib
import secrets

from django import forms
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from solidair.callcentre.models import CallbackKind, WebRequest
from solidair.callcentre.services import callback_create
from solidair.missions.models import Mission, Source, Theme
from solidair.missions.services import mission_create
from solidair.people import phones
from solidair.people.forms import HelpeeForm
from solidair.people.models import Helpee, Organisation
from solidair.people.services import helpee_phones_set

REQUESTS_PER_IP_PER_HOUR = 5
REQUESTS_PER_PHONE_PER_DAY = 3


class RequestForm(HelpeeForm):
    """The helpee's details (as an operator records them) and the request itself."""

    relation = forms.ChoiceField(
        label=gettext_lazy("Who are you?"),
        choices=WebRequest.Relation.choices,
        widget=forms.RadioSelect,
    )
    requester_name = forms.CharField(label=gettext_lazy("Your name"), required=False)
    requester_phone = forms.CharField(label=gettext_lazy("Your phone number"), required=False)
    requester_email = forms.EmailField(label=gettext_lazy("Your email address"), required=False)
    referring_organisation = forms.CharField(
        label=gettext_lazy("Your organisation (for professionals)"), required=False
    )
    theme = forms.ModelChoiceField(
        label=gettext_lazy("What help is needed?"),
        queryset=Theme.objects.filter(active=True),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    details = forms.CharField(
        label=gettext_lazy("Tell us more: what, and when"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
    contact = forms.ChoiceField(
        label=gettext_lazy("How should we contact you?"),
        choices=WebRequest.Contact.choices,
        widget=forms.RadioSelect,
    )
    # Humans never see this field; robots fill it in.
    website = forms.CharField(required=False, label="Website")
    token = forms.CharField(widget=forms.HiddenInput)

    class Meta(HelpeeForm.Meta):
        fields = [
            "first_name",
            "last_name",
            "language",
            "street",
            "house_number",
            "postcode",
            "city",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("phone_2", "manual_latitude", "manual_longitude"):
            del self.fields[name]
        self.fields["consent"].label = _(
            "The person who needs help agrees that Solidair keeps these details to help them."
        )
        self.fields["phone_1"].label = _("Phone number of the person who needs help")
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_requester_phone(self) -> str:
        raw = self.cleaned_data.get("requester_phone", "").strip()
        return phones.to_e164(raw, self.organisation.country) if raw else ""

    def clean(self):
        super().clean()
        data = self.cleaned_data
        relation, contact = data.get("relation"), data.get("contact")
        if relation and relation != WebRequest.Relation.SELF and not data.get("requester_name"):
            self.add_error("requester_name", _("Please tell us your name."))
        if contact == WebRequest.Contact.CALL_REQUESTER and not data.get("requester_phone"):
            self.add_error("requester_phone", _("Please give the number where we can call you."))
        if contact == WebRequest.Contact.EMAIL_REQUESTER and not data.get("requester_email"):
            self.add_error("requester_email", _("Please give your email address."))
        return data


def _ip_hash(request: HttpRequest) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()


def _too_many(ip_hash: str, phone: str) -> bool:
    now = timezone.now()
    by_ip = WebRequest.objects.filter(
        ip_hash=ip_hash, created_at__gte=now - datetime.timedelta(hours=1)
    ).count()
    by_phone = WebRequest.objects.filter(
        phone_key=phone, created_at__gte=now - datetime.timedelta(days=1)
    ).count()
    return by_ip >= REQUESTS_PER_IP_PER_HOUR or by_phone >= REQUESTS_PER_PHONE_PER_DAY


def web_request_submit(*, organisation: Organisation, form: RequestForm, ip_hash: str) -> Mission:
    """Record the helpee and a mission waiting for review; the same token twice makes one."""
    data = form.cleaned_data
    existing = WebRequest.objects.filter(token=data["token"]).select_related("mission").first()
    if existing is not None:
        return existing.mission
    with transaction.atomic():
        details = form.helpee_details()
        helpee = Helpee.objects.create(
            organisation=organisation,
            consent_recorded_by=None,
            consent_recorded_at=timezone.now(),
            consent_text_version=settings.CONSENT_TEXT_VERSION,
            **details.__dict__,
        )
        helpee_phones_set(helpee=helpee, numbers=form.phone_numbers())
        mission = mission_create(
            helpee=helpee,
            theme=data["theme"],
            by=None,
            source=Source.WEB,
            details=data["details"],
            submission_token=data["token"],
        )
        WebRequest.objects.create(
            mission=mission,
            relation=data["relation"],
            requester_name=data["requester_name"],
            requester_phone=data["requester_phone"],
            requester_email=data["requester_email"],
            referring_organisation=data["referring_organisation"],
            contact=data["contact"],
            ip_hash=ip_hash,
            phone_key=data["phone_1"],
            token=data["token"],
        )
        if data["contact"] in (WebRequest.Contact.CALL_HELPEE, WebRequest.Contact.CALL_REQUESTER):
            callback_create(
                organisation=organisation,
                kind=CallbackKind.WEB_REQUEST,
                phone=data["requester_phone"]
                if data["contact"] == WebRequest.Contact.CALL_REQUESTER
                else data["phone_1"],
                helpee=helpee,
                mission=mission,
                name=data["requester_name"] or helpee.full_name,
                reason=data["details"],
            )
    return mission


def request_choose(request: HttpRequest) -> HttpResponse:
    organisations = Organisation.objects.all()
    if len(organisations) == 1:
        return redirect("public_request", slug=organisations[0].slug)
    return render(request, "callcentre/public_choose.html", {"organisations": organisations})


def public_request(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    form = RequestForm(
        request.POST or None,
        organisation=organisation,
        initial={"token": secrets.token_urlsafe(24), "language": request.LANGUAGE_CODE},
    )
    if request.method == "POST":
        if request.POST.get("website"):
            return redirect("public_request_thanks", slug=slug)  # a robot: nothing is stored
        if form.is_valid():
            ip_hash = _ip_hash(request)
            already = WebRequest.objects.filter(token=form.cleaned_data["token"]).exists()
            if not already and _too_many(ip_hash, form.cleaned_data["phone_1"]):
                form.add_error(
                    None,
                    _(
                        "We have already received several requests from you today. We will "
                        "contact you soon. If it is urgent, please call us at %(number)s."
                    )
                    % {"number": organisation.hotline_display or "—"},
                )
            else:
                web_request_submit(organisation=organisation, form=form, ip_hash=ip_hash)
                return redirect("public_request_thanks", slug=slug)
    return render(
        request, "callcentre/public_request.html", {"form": form, "organisation": organisation}
    )


def public_request_thanks(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    return render(request, "callcentre/public_thanks.html", {"organisation": organisation})
