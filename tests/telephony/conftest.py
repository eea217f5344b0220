"""The provider calling the help line's webhooks: signed with the twilio package's own
validator, over the public address (SITE_URL), as it does behind our TLS proxy."""

import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from twilio.request_validator import RequestValidator

TOKEN = "twilio-test-token"
SITE = "https://solidair.test"
HOTLINE = "+3225550100"
CALLER = "+32475123456"
SID = "CA" + "5" * 32


@pytest.fixture(autouse=True)
def telephony_settings(settings):
    settings.SITE_URL = SITE
    settings.TWILIO_AUTH_TOKEN = TOKEN
    return settings


@pytest.fixture
def line(cast):
    cast.organisation.hotline_number = HOTLINE
    cast.organisation.save()
    return cast


class Provider:
    def __init__(self):
        self.client = Client(enforce_csrf_checks=True)

    def post(self, path, sid=SID, token=TOKEN, **params):
        data = {"CallSid": sid, "To": HOTLINE, "From": CALLER, **params}
        signature = RequestValidator(token).compute_signature(SITE + path, data)
        return self.client.post(path, data, HTTP_X_TWILIO_SIGNATURE=signature)

    def twiml(self, path, **params):
        response = self.post(path, **params)
        assert response.status_code == 200 and response["Content-Type"] == "text/xml"
        return ET.fromstring(response.content)


@pytest.fixture
def provider():
    return Provider()


def target(url):
    """Where a Gather, Record or Redirect sends the call next: path and query."""
    parts = urlsplit(url)
    return parts.path, {
        key: values[0] for key, values in parse_qs(parts.query, keep_blank_values=True).items()
    }


# The help line's queue and the operators' phones.

LANGUAGE_KEYS = {"fr": "1", "nl": "2", "en": "3", "de": "4"}  # the cast's Brussels line


@pytest.fixture(autouse=True)
def today_is_not_a_public_holiday(monkeypatch):
    """The line is open whatever day the tests run; test_hours overrides this."""
    monkeypatch.setattr("solidair.telephony.hours.public_holiday", lambda organisation, day: False)


def operator_on_shift(cast, name, languages, *, phone, language="en", started_minutes_ago=60):
    """An operator of the cast's organisation, on shift, whose phone rings on `phone`."""
    import datetime

    from django.utils import timezone

    from solidair.callcentre.models import Shift
    from solidair.people.models import RoleKind
    from tests.conftest import make_user

    user = make_user(cast.organisation, name, RoleKind.OPERATOR, language=language)
    Shift.objects.create(
        organisation=cast.organisation,
        operator=user,
        languages=languages,
        phone=phone,
        started_at=timezone.now() - datetime.timedelta(minutes=started_minutes_ago),
    )
    return user


def caller_waits(provider, language="fr", choice="1", sid=SID, **params):
    """A caller goes through the menus and is put in the queue: the Enqueue's TwiML."""
    provider.twiml("/telephony/voice/incoming/", sid=sid, **params)
    provider.twiml(
        "/telephony/voice/language/?attempt=0", sid=sid, Digits=LANGUAGE_KEYS[language], **params
    )
    return provider.twiml("/telephony/voice/choice/?attempt=0", sid=sid, Digits=choice, **params)


def leg(provider, path, ring, **params):
    """The provider calling a webhook of an operator's leg: that leg's own CallSid, the
    operator's phone dialled from the line's number."""
    params.setdefault("To", ring.shift.phone)
    params.setdefault("From", HOTLINE)
    return provider.twiml(f"{path}?ring={ring.pk}", sid=ring.provider_sid, **params)


def leg_status(provider, ring, status):
    path = f"/telephony/voice/operator/status/?ring={ring.pk}"
    response = provider.post(
        path, sid=ring.provider_sid, To=ring.shift.phone, From=HOTLINE, CallStatus=status
    )
    assert response.status_code == 204
    return response
