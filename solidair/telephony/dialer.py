"""Calls that Solidair places itself: an operator's phone for a waiting caller, a
helper's phone for a masked call. Through the provider's REST API (Twilio, or any
provider that speaks it) when NOTIFICATIONS_PROVIDER is "twilio"; otherwise simulated:
nothing rings, the call gets an id starting with "SIM", and the phone simulator plays
the person called, through the same signed webhooks."""

import secrets
from urllib.parse import urlsplit

import requests
from django.conf import settings
from twilio.base.exceptions import TwilioRestException

from solidair.notifications.providers.base import ProviderError
from solidair.notifications.providers.twilio import client
from solidair.people.models import Organisation

SIMULATED_PREFIX = "SIM"


def simulated() -> bool:
    return settings.NOTIFICATIONS_PROVIDER != "twilio"


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def place_call(
    *, organisation: Organisation, to: str, path: str, status_path: str, timeout: int
) -> str:
    """Rings `to` from the organisation's own number for `timeout` seconds; when
    answered, the provider asks `path` for TwiML; the final status goes to
    `status_path`. Returns the provider's id of the call."""
    if simulated():
        return SIMULATED_PREFIX + secrets.token_hex(16)
    try:
        call = client().calls.create(
            to=to,
            from_=organisation.hotline_number or settings.TWILIO_FROM_NUMBER,
            url=absolute(path),
            method="POST",
            status_callback=absolute(status_path),
            status_callback_method="POST",
            timeout=timeout,
        )
    except TwilioRestException as error:
        raise ProviderError(f"HTTP {error.status} ({error.code}): {error.msg}") from error
    except requests.RequestException as error:
        raise ProviderError(f"{type(error).__name__}: {error}") from error
    return str(call.sid)


def end_call(sid: str) -> None:
    """Stops a call Solidair placed: a ringing phone stops ringing, a call in progress
    hangs up. Nothing to do for a simulated call, nor for one already over.

    Twilio's Call update takes status "canceled" for a call that is queued or ringing
    (it does not touch a call in progress) and "completed" for a call in progress; so
    first "canceled", then "completed" if the operator had already picked up."""
    if sid.startswith(SIMULATED_PREFIX) or simulated():
        return
    try:
        call = client().calls(sid).update(status="canceled")
        if call.status == "in-progress":
            client().calls(sid).update(status="completed")
    except TwilioRestException as error:
        if error.status != 404:
            raise ProviderError(f"HTTP {error.status} ({error.code}): {error.msg}") from error
    except requests.RequestException as error:
        raise ProviderError(f"{type(error).__name__}: {error}") from error


RECORDING_CHUNK = 64 * 1024


def recording_fetch(url: str) -> requests.Response:
    """A voicemail, fetched from the provider with the account's credentials (so that
    recordings can stay behind HTTP authentication) as MP3, streamed. Only from the
    provider's own API host: the address came in a webhook, and is never followed
    elsewhere. Raises ProviderError when it cannot be had."""
    parts, api = urlsplit(url), urlsplit(settings.TWILIO_API_BASE_URL)
    if parts.scheme != "https" or parts.netloc != api.netloc:
        raise ProviderError(f"not a recording of the provider: {parts.netloc or url!r}")
    if not parts.path.rsplit("/", 1)[-1].count("."):
        url += ".mp3"
    try:
        response = requests.get(
            url,
            auth=(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN),
            timeout=settings.TWILIO_TIMEOUT_SECONDS,
            stream=True,
            allow_redirects=False,
        )
    except requests.RequestException as error:
        raise ProviderError(f"{type(error).__name__}: {error}") from error
    if response.status_code != 200:
        response.close()
        raise ProviderError(f"HTTP {response.status_code} for the recording")
    return response
