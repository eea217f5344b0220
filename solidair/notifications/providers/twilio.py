"""SMS and voice calls through Twilio's REST API, or any provider that speaks it
(SignalWire, Telnyx TeXML): account, token, sender and API address are settings."""

import requests
from django.conf import settings
from django.urls import reverse
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from solidair.notifications.models import Channel, Message
from solidair.notifications.providers.base import ProviderError, Refused, Undeliverable
from solidair.notifications.providers.voice import sms_text, voice_twiml

# Twilio error codes meaning "this number cannot receive this": use the fallback.
# 21614: not a mobile number; 21612, 21408: cannot route there; 21610: the person sent STOP.
UNDELIVERABLE_CODES = {21211, 21217, 21408, 21610, 21612, 21614}
CALL_EVENTS = ["initiated", "ringing", "answered", "completed"]


def status_callback_url(message: Message) -> str:
    path = reverse("notifications:twilio_status", args=[message.pk])
    return settings.SITE_URL.rstrip("/") + path


def client(http_client: TwilioHttpClient | None = None) -> Client:
    twilio = Client(
        settings.TWILIO_ACCOUNT_SID,
        settings.TWILIO_AUTH_TOKEN,
        http_client=http_client or TwilioHttpClient(timeout=settings.TWILIO_TIMEOUT_SECONDS),
    )
    twilio.api.base_url = settings.TWILIO_API_BASE_URL
    return twilio


class TwilioProvider:
    def __init__(self, http_client: TwilioHttpClient | None = None):
        self.client = client(http_client)

    def send(self, message: Message) -> str:
        try:
            if message.channel == Channel.VOICE:
                call = self.client.calls.create(
                    to=message.address,
                    from_=settings.TWILIO_FROM_NUMBER,
                    twiml=voice_twiml(message),
                    status_callback=status_callback_url(message),
                    status_callback_event=CALL_EVENTS,
                )
                return str(call.sid)
            sms = self.client.messages.create(
                to=message.address,
                from_=settings.TWILIO_FROM_NUMBER,
                body=sms_text(message),
                status_callback=status_callback_url(message),
            )
            return str(sms.sid)
        except TwilioRestException as error:
            if error.code in UNDELIVERABLE_CODES:
                raise Undeliverable(f"{error.code}: {error.msg}") from error
            if error.status >= 500 or error.status == 429:
                raise ProviderError(f"HTTP {error.status}: {error.msg}") from error
            raise Refused(f"HTTP {error.status} ({error.code}): {error.msg}") from error
        except requests.RequestException as error:  # timeouts, refused connections
            raise ProviderError(f"{type(error).__name__}: {error}") from error
