"""Notifications tests: jobs run at once (on commit), the console provider by default,
and no test ever reaches the network."""

import json
import socket

import pytest
import requests

from solidair.notifications.recipients import recipient_for_helpee
from solidair.notifications.services import notify
from solidair.people.models import RoleKind
from tests.conftest import make_helpee, make_user

TWILIO_SID = "AC" + "0" * 32
TWILIO_TOKEN = "twilio-test-token"
SITE = "https://solidair.test"


@pytest.fixture(autouse=True)
def notifications_settings(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SOLIDAIR_TASKS_BACKEND = "immediate"
    settings.NOTIFICATIONS_PROVIDER = "console"
    settings.NOTIFICATIONS_CONSOLE_DELAY_MS = 0
    settings.NOTIFICATIONS_MAX_TRIES = 3
    settings.VAPID_PRIVATE_KEY = ""
    settings.SITE_URL = SITE
    settings.TWILIO_ACCOUNT_SID = TWILIO_SID
    settings.TWILIO_AUTH_TOKEN = TWILIO_TOKEN
    settings.TWILIO_FROM_NUMBER = "+3225550000"
    settings.TWILIO_API_BASE_URL = "https://api.twilio.com"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return settings


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a test tried to reach the network")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def http_response(status, body=None):
    response = requests.Response()
    response.status_code = status
    response._content = json.dumps(body or {}).encode()
    response.headers["Content-Type"] = "application/json"
    response.encoding = "utf-8"
    return response


class FakeHttp:
    """Stands in for the HTTP layer (requests.Session.send) under the twilio and
    pywebpush clients: answers each request with the next planned answer."""

    def __init__(self):
        self.plan = []
        self.requests = []

    def answer(self, *answers):
        self.plan.extend(answers)

    def send(self, session, prepared, **kwargs):
        self.requests.append(prepared)
        answer = self.plan.pop(0) if self.plan else http_response(500, {"message": "unplanned"})
        if isinstance(answer, BaseException):
            raise answer
        return answer

    def posts_to(self, suffix):
        return [r for r in self.requests if r.method == "POST" and r.url.endswith(suffix)]


@pytest.fixture
def http(monkeypatch):
    fake = FakeHttp()
    monkeypatch.setattr(
        requests.Session, "send", lambda session, prepared, **kw: fake.send(session, prepared, **kw)
    )
    return fake


@pytest.fixture
def twilio(settings, http):
    settings.NOTIFICATIONS_PROVIDER = "twilio"
    return http


def sms_accepted(sid="SM" + "1" * 32):
    return http_response(201, {"sid": sid, "status": "queued"})


def call_accepted(sid="CA" + "1" * 32):
    return http_response(201, {"sid": sid, "status": "queued"})


def twilio_error(status, code, text="refused"):
    return http_response(status, {"code": code, "message": text, "status": status})


@pytest.fixture
def mobile_helpee(cast):
    return make_helpee(cast.organisation, cast.operator, first_name="Marie", phone="+32470123456")


@pytest.fixture
def admin(cast):
    return make_user(cast.organisation, "admin", RoleKind.ADMIN)


def tell(helpee, key="mission:1:assigned:helpee", body="Sam will come on Monday."):
    return notify(recipient=recipient_for_helpee(helpee), key=key, body=body)
