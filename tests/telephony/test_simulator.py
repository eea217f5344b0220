"""The phone simulator's server side: staff only, only the line's webhooks, signed as the
provider signs them so that the webhooks accept it, never a real call."""

import datetime
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone

from solidair.callcentre.models import Call, Shift
from solidair.people.models import RoleKind
from solidair.telephony.models import LineNumber, Ring
from tests.conftest import CsrfClient, login, make_user
from tests.telephony.conftest import HOTLINE, SITE

INCOMING = "/telephony/voice/incoming/"
SEND = "/telephony/simulator/send/"
PAGE = "/telephony/simulator/"
RINGS = "/telephony/simulator/rings/"
SIM_SID = "SIM" + "a1" * 16


class Transport:
    """requests.post, answered by the app through Django's test client instead of the
    network: what the simulator sends is exactly what the webhook receives."""

    def __init__(self):
        self.sent = []
        self.tamper = False

    def __call__(self, url, *, data, headers, timeout, allow_redirects):
        assert url.startswith(SITE) and timeout <= 10 and not allow_redirects
        path = url[len(SITE) :]
        self.sent.append((path, dict(data), headers))
        signature = headers["X-Twilio-Signature"] + ("x" if self.tamper else "")
        response = Client().post(path, data, HTTP_X_TWILIO_SIGNATURE=signature)
        return SimpleNamespace(
            status_code=response.status_code,
            headers={"Content-Type": response.get("Content-Type", "")},
            content=response.content,
        )


@pytest.fixture
def transport(monkeypatch):
    fake = Transport()
    monkeypatch.setattr("solidair.telephony.simulator.requests.post", fake)
    return fake


def simulate(client, path, **params):
    data = {"path": path, "CallSid": SIM_SID, "To": HOTLINE, "From": "+3225551234", **params}
    return client.post(SEND, data)


def twiml(response):
    assert response.status_code == 200, response.content
    return ET.fromstring(response.json()["twiml"])


@pytest.fixture
def operator_client(line):
    return login(CsrfClient(), line.operator)


def test_strangers_are_sent_to_log_in(line):
    response = Client().get(PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["helper", "moderator"])
def test_helpers_and_moderators_are_refused_the_simulator(line, transport, who):
    user = line.helper.user if who == "helper" else line.moderator
    client = login(CsrfClient(), user)
    assert client.get(PAGE).status_code == 403
    assert simulate(client, INCOMING).status_code == 403
    assert client.get(RINGS).status_code == 403
    assert transport.sent == []


def test_an_operator_picks_one_of_their_organisation_s_numbers(line, operator_client):
    LineNumber.objects.create(organisation=line.organisation, number="+3225550111", label="Poster")
    line.elsewhere.hotline_number = "+41225550100"
    line.elsewhere.save()
    page = operator_client.get(PAGE).content.decode()
    assert HOTLINE in page and "+3225550111" in page and "Poster" in page
    assert "+41225550100" not in page
    assert 'role="log"' in page and "simulator.js" in page


def test_the_send_endpoint_needs_the_csrf_token(line):
    client = Client(enforce_csrf_checks=True)
    client.force_login(line.operator)
    assert client.post(SEND, {"path": INCOMING, "CallSid": SIM_SID}).status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/telephony/simulator/send/",
        "/telephony/line/",
        "/notifications/twilio/voice/1/",
        "https://elsewhere.example/telephony/voice/incoming/",
        "//elsewhere.example/telephony/voice/incoming/",
        "/telephony/voice/../../admin/",
        "telephony/voice/incoming/",
        "",
    ],
)
def test_anything_but_a_telephony_webhook_is_refused(operator_client, transport, path):
    response = simulate(operator_client, path)
    assert response.status_code == 400
    assert response.json()["error"] == "Only the help line's webhooks can be called."
    assert transport.sent == []


def test_a_call_id_that_is_not_simulated_is_refused(operator_client, transport):
    response = simulate(operator_client, INCOMING, CallSid="CA" + "5" * 32)
    assert response.status_code == 400 and "SIM" in response.json()["error"]
    assert transport.sent == []


def test_another_organisation_s_line_is_refused(line, operator_client, transport):
    line.elsewhere.hotline_number = "+41225550100"
    line.elsewhere.save()
    response = simulate(operator_client, INCOMING, To="+41225550100")
    assert response.status_code == 400
    assert transport.sent == []
    assert not Call.objects.exists()


def test_calling_another_organisation_s_line_from_one_s_own_number_is_refused(
    line, operator_client, transport
):
    line.elsewhere.hotline_number = "+41225550100"
    line.elsewhere.save()
    response = simulate(operator_client, INCOMING, From=HOTLINE, To="+41225550100")
    assert response.status_code == 400
    assert response.json()["error"] == "This is not a number of your organisation's help line."
    assert transport.sent == [] and not Call.objects.exists()


def test_another_organisation_s_rings_and_calls_cannot_be_named_in_the_path(
    line, operator_client, transport
):
    theirs = ringing(line, organisation=line.elsewhere)
    for path in (
        f"/telephony/voice/operator/status/?ring={theirs.pk}",
        f"/telephony/voice/wait/?ring={theirs.pk}",
        "/telephony/voice/masked/whisper/?call=1",
    ):
        response = simulate(operator_client, path)
        assert response.status_code == 400, path
        assert "another organisation" in response.json()["error"]
    assert transport.sent == []


def test_a_call_of_another_organisation_cannot_be_driven_by_its_id(
    line, operator_client, transport
):
    theirs = ringing(line, organisation=line.elsewhere)
    response = simulate(
        operator_client, "/telephony/voice/status/", CallSid=theirs.call.provider_sid
    )
    assert response.status_code == 400
    assert transport.sent == []


def test_only_a_simulated_recording_can_be_left(line, operator_client, transport):
    response = simulate(
        operator_client,
        "/telephony/voice/voicemail/",
        RecordingUrl="https://evil.example/recording.mp3",
    )
    assert response.status_code == 400
    assert "simulated recording" in response.json()["error"]
    assert transport.sent == []


def test_a_simulated_call_is_signed_so_that_the_webhook_answers_with_the_menu(
    line, operator_client, transport
):
    root = twiml(simulate(operator_client, INCOMING, CallStatus="ringing", Evil="1"))
    gather = root.find("Gather")
    assert gather is not None and gather.get("numDigits") == "1"
    offers = [say.text for say in gather.findall("Say")]
    assert "Voor Nederlands, druk 2." in offers and "Pour le français, tapez 1." in offers
    call = Call.objects.get()
    assert (call.provider_sid, call.caller, call.helpee) == (SIM_SID, "+3225551234", line.helpee)
    path, data, headers = transport.sent[0]
    assert path == INCOMING and headers["X-Twilio-Signature"]
    assert data["Direction"] == "inbound" and data["Called"] == HOTLINE
    assert "Evil" not in data and "path" not in data


def test_the_query_string_is_signed_too(line, operator_client, transport):
    simulate(operator_client, INCOMING)
    root = twiml(simulate(operator_client, "/telephony/voice/language/?attempt=0", Digits="2"))
    assert root.find("Gather/Say").get("language") == "nl-NL"
    assert Call.objects.get().language == "nl"


def test_a_refused_signature_is_told_to_the_page(line, operator_client, transport):
    transport.tamper = True
    response = simulate(operator_client, INCOMING)
    assert response.status_code == 502
    # Told in the operator's language; the two settings to check are named as they are.
    error = response.json()["error"]
    assert "SITE_URL" in error and "TWILIO_AUTH_TOKEN" in error
    assert not Call.objects.exists()


def test_the_webhooks_refuse_an_unsigned_request(line):
    data = {"CallSid": SIM_SID, "To": HOTLINE, "From": "+3225551234"}
    assert Client().post(INCOMING, data).status_code == 403
    assert not Call.objects.exists()


def test_a_line_that_does_not_answer_is_told_to_the_page(line, operator_client, monkeypatch):
    import requests

    def unreachable(*args, **kwargs):
        raise requests.ConnectionError("refused")

    monkeypatch.setattr("solidair.telephony.simulator.requests.post", unreachable)
    response = simulate(operator_client, INCOMING)
    assert response.status_code == 502
    assert SITE + INCOMING in response.json()["error"]


def test_with_a_real_provider_the_simulator_is_off(line, operator_client, transport, settings):
    settings.NOTIFICATIONS_PROVIDER = "twilio"
    assert simulate(operator_client, INCOMING).status_code == 403
    assert "The simulator is off" in operator_client.get(PAGE).content.decode()
    assert transport.sent == []


def ringing(cast, sid="SIM" + "b2" * 16, organisation=None):
    organisation = organisation or cast.organisation
    operator = make_user(organisation, f"koen{Ring.objects.count()}", RoleKind.OPERATOR)
    operator.first_name, operator.last_name = "Koen", "De Backer"
    operator.save()
    shift = Shift.objects.create(
        organisation=organisation, operator=operator, languages=["nl"], phone="+32470990002"
    )
    call = Call.objects.create(
        organisation=organisation, caller="+3225551234", language="nl", provider_sid=SIM_SID
    )
    return Ring.objects.create(call=call, shift=shift, operator=operator, provider_sid=sid)


def test_the_operators_phones_ringing_are_listed_without_the_caller_s_number(line, operator_client):
    ring = ringing(line)
    Ring.objects.create(
        call=ring.call, shift=ring.shift, operator=line.operator, provider_sid="CA" + "7" * 32
    )
    listed = operator_client.get(RINGS).json()["rings"]
    assert listed == [
        {
            "id": ring.pk,
            "operator": "Koen De Backer",
            "language": "Dutch",
            "answer": f"/telephony/voice/operator/whisper/?ring={ring.pk}",
            "status": f"/telephony/voice/operator/status/?ring={ring.pk}",
        }
    ]
    assert "+3225551234" not in operator_client.get(RINGS).content.decode()


def test_another_organisation_s_rings_are_not_listed(line):
    ringing(line, organisation=line.elsewhere)
    client = login(CsrfClient(), line.operator)
    assert client.get(RINGS).json() == {"rings": []}


def test_picking_up_as_the_operator_sends_what_the_provider_knows_of_that_leg(
    line, operator_client, transport
):
    ring = ringing(line)
    response = operator_client.post(
        SEND,
        {
            "path": f"/telephony/voice/operator/whisper/?ring={ring.pk}",
            "ring": ring.pk,
            "CallStatus": "in-progress",
            "To": "+32000000000",
        },
    )
    assert response.status_code == 200
    path, data, _headers = transport.sent[0]
    assert (data["CallSid"], data["From"], data["To"]) == (
        ring.provider_sid,
        HOTLINE,
        "+32470990002",
    )
    assert data["Direction"] == "outbound-api"


def test_a_ring_of_a_real_call_cannot_be_picked_up(line, operator_client, transport):
    ring = ringing(line, sid="CA" + "7" * 32)
    response = operator_client.post(
        SEND, {"path": f"/telephony/voice/operator/whisper/?ring={ring.pk}", "ring": ring.pk}
    )
    assert response.status_code == 400
    assert transport.sent == []


@pytest.mark.django_db(transaction=True)
def test_over_real_http_the_webhook_accepts_the_simulator_s_signature(line, live_server, settings):
    settings.SITE_URL = live_server.url
    client = login(CsrfClient(), line.operator)
    root = twiml(simulate(client, INCOMING))
    assert root.find("Gather") is not None
    assert Call.objects.get().provider_sid == SIM_SID


def settings_in(tmp_path, **env_changes):
    """Imports the settings in a fresh process with these variables."""
    import os
    import subprocess
    import sys

    unwanted = ("TWILIO_AUTH_TOKEN", "NOTIFICATIONS_PROVIDER", "DEBUG", "SECRET_KEY")
    env = {k: v for k, v in os.environ.items() if k not in unwanted}
    env |= {"SOLIDAIR_DATA_DIR": str(tmp_path), "STATIC_ROOT": str(tmp_path / "static")}
    if env_changes.get("DEBUG") == "false":  # what production must set in any case
        env |= {"SITE_URL": "https://solidair.example.org", "NOTIFICATIONS_PROVIDER": "console"}
    env |= env_changes
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import solidair.settings as s; print(s.TWILIO_AUTH_TOKEN)"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_demo_signs_with_a_development_token_when_none_is_set(tmp_path):
    assert settings_in(tmp_path).stdout.strip() == "demo-only-token"


def test_with_debug_off_there_is_no_development_token(tmp_path):
    ran = settings_in(tmp_path, DEBUG="false", SECRET_KEY="x" * 50)
    assert ran.returncode == 0 and ran.stdout.strip() == ""


def test_with_debug_off_the_development_token_is_refused(tmp_path):
    ran = settings_in(
        tmp_path, DEBUG="false", SECRET_KEY="x" * 50, TWILIO_AUTH_TOKEN="demo-only-token"
    )
    assert ran.returncode != 0 and "TWILIO_AUTH_TOKEN" in ran.stderr


@pytest.mark.parametrize("debug", ["true", "false"])
def test_the_twilio_provider_needs_a_real_token(tmp_path, debug):
    ran = settings_in(
        tmp_path,
        DEBUG=debug,
        SECRET_KEY="x" * 50,
        NOTIFICATIONS_PROVIDER="twilio",
        TWILIO_ACCOUNT_SID="AC" + "1" * 32,
        TWILIO_FROM_NUMBER="+3225550100",
    )
    assert ran.returncode != 0 and "TWILIO_AUTH_TOKEN" in ran.stderr


def test_the_demo_has_a_dutch_caller_a_dutch_operator_on_shift_and_a_closed_line(db):
    from solidair.people import demo
    from solidair.people.models import Helpee, Organisation
    from solidair.telephony.hours import line_open
    from solidair.telephony.simulator import DEFAULT_CALLER

    brussels = demo.load()
    demo.load()  # twice: nothing is duplicated
    caller = Helpee.objects.get(phones__number=DEFAULT_CALLER)
    assert (caller.organisation, caller.language) == (brussels, "nl")
    shift = Shift.objects.get(ended_at__isnull=True)
    assert shift.organisation == brussels and "nl" in shift.languages and shift.phone
    assert shift.operator.email == demo.email("operator2")
    closed = Organisation.objects.get(hotline_number=demo.CLOSED_LINE)
    noon = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(12)))
    assert line_open(brussels) and not line_open(closed, at=noon)
    koen = login(CsrfClient(), shift.operator)
    page = koen.get(PAGE).content.decode()
    assert brussels.hotline_number in page and demo.CLOSED_LINE in page
    assert DEFAULT_CALLER in page
