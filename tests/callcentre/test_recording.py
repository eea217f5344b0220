"""A voicemail is played through Solidair: the provider's address and credentials never
reach the browser, only the organisation's staff hear it, and each listen is logged."""

from types import SimpleNamespace

import pytest
import requests

from solidair.callcentre import services
from solidair.people.models import AccessLog
from tests.conftest import login

RECORDING = "https://api.twilio.com/2010-04-01/Accounts/AC0/Recordings/RE" + "1" * 32


class Provider:
    def __init__(self):
        self.asked = []
        self.status = 200
        self.fails = False

    def __call__(self, url, **kwargs):
        self.asked.append((url, kwargs))
        if self.fails:
            raise requests.ConnectionError("down")
        return SimpleNamespace(
            status_code=self.status,
            headers={"Content-Type": "audio/mpeg"},
            iter_content=lambda size: iter([b"ID3", b"mp3-bytes"]),
            close=lambda: None,
        )


@pytest.fixture
def provider(monkeypatch, settings):
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN = "AC" + "0" * 32, "secret"
    fake = Provider()
    monkeypatch.setattr("solidair.telephony.dialer.requests.get", fake)
    return fake


def voicemail(cast, url=RECORDING, helpee=True):
    return services.callback_create(
        organisation=cast.organisation,
        kind="voicemail",
        phone="+3225551234",
        helpee=cast.helpee if helpee else None,
        recording_url=url,
    )


def test_the_console_plays_the_message_through_solidair_and_logs_the_listen(client, cast, provider):
    callback = voicemail(cast)
    login(client, cast.operator)
    page = client.get(f"/callbacks/{callback.pk}/").content.decode()
    assert f'src="/callbacks/{callback.pk}/recording/"' in page
    assert "api.twilio.com" not in page
    AccessLog.objects.all().delete()
    response = client.get(f"/callbacks/{callback.pk}/recording/")
    assert response.status_code == 200 and response["Content-Type"] == "audio/mpeg"
    assert b"".join(response.streaming_content) == b"ID3mp3-bytes"
    assert "no-store" in response["Cache-Control"]
    url, kwargs = provider.asked[0]
    assert url == RECORDING + ".mp3"
    assert kwargs["auth"] == ("AC" + "0" * 32, "secret") and kwargs["allow_redirects"] is False
    logged = AccessLog.objects.get()
    assert (logged.user, logged.helpee) == (cast.operator, cast.helpee)
    assert logged.page == f"/callbacks/{callback.pk}/recording/"


def test_another_organisation_hears_nothing(client, cast, provider):
    callback = voicemail(cast)
    login(client, cast.outsider)
    assert client.get(f"/callbacks/{callback.pk}/recording/").status_code in (403, 404)
    assert provider.asked == [] and not AccessLog.objects.filter(user=cast.outsider).exists()


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/2010-04-01/Recordings/RE1",
        "http://api.twilio.com/2010-04-01/Recordings/RE1",
        "https://simulator.invalid/recordings/RE1",
    ],
)
def test_a_recording_elsewhere_than_the_provider_is_never_fetched(client, cast, provider, url):
    callback = voicemail(cast, url=url)
    login(client, cast.operator)
    response = client.get(f"/callbacks/{callback.pk}/recording/")
    assert response.status_code == 502
    assert "cannot be fetched" in response.content.decode()
    assert provider.asked == []


def test_a_provider_that_is_down_or_refuses_is_told_plainly(client, cast, provider):
    callback = voicemail(cast, helpee=False)
    login(client, cast.operator)
    provider.fails = True
    assert client.get(f"/callbacks/{callback.pk}/recording/").status_code == 502
    provider.fails, provider.status = False, 401
    assert client.get(f"/callbacks/{callback.pk}/recording/").status_code == 502
    assert not AccessLog.objects.filter(page__endswith="/recording/").exists()


def test_a_callback_without_recording_has_no_player(client, cast, provider):
    callback = voicemail(cast, url="")
    login(client, cast.operator)
    assert "<audio" not in client.get(f"/callbacks/{callback.pk}/").content.decode()
    assert client.get(f"/callbacks/{callback.pk}/recording/").status_code == 404
