"""`solidair serve` and `solidair demo` tell the app where it listens."""

import os

from django.conf import settings as django_settings

from solidair.people.management.commands import serve


def run(monkeypatch, host, port):
    ran = []
    monkeypatch.setattr(serve, "call_command", lambda *args, **kwargs: ran.append(args))
    monkeypatch.setattr(serve, "WorkerProcess", _NoWorker)
    serve.Command().run_server(host, port)
    return ran


class _NoWorker:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_the_site_url_follows_the_chosen_port(monkeypatch, settings):
    monkeypatch.delenv("SITE_URL", raising=False)
    settings.SITE_URL = "http://localhost:8000"
    assert run(monkeypatch, "0.0.0.0", "8123") == [("runserver", "0.0.0.0:8123")]  # noqa: S104
    # The simulator signs and sends its webhooks to this address; the worker inherits it.
    assert django_settings.SITE_URL == "http://127.0.0.1:8123"
    assert os.environ["SITE_URL"] == "http://127.0.0.1:8123"


def test_a_site_url_given_is_kept(monkeypatch, settings):
    monkeypatch.setenv("SITE_URL", "https://solidair.example")
    settings.SITE_URL = "https://solidair.example"
    run(monkeypatch, "127.0.0.1", "8123")
    assert django_settings.SITE_URL == "https://solidair.example"
