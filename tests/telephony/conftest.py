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
