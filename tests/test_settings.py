"""Start-up refuses unsafe production settings; the documented example passes check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

PRODUCTION_EXAMPLE = Path(__file__).parent.parent / "docs" / "production.env"


def run_solidair(env_changes, *args, tmp_path):
    unwanted = ("DATABASE_URL", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in unwanted}
    env.update(env_changes)
    for name in ("SOLIDAIR_DATA_DIR", "STATIC_ROOT", "MEDIA_ROOT"):
        env[name] = str(tmp_path / name.lower())
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "solidair", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("secret", [None, "solidair-development-key-not-for-production", ""])
def test_debug_off_with_a_default_secret_key_refuses_to_start(tmp_path, secret):
    env = {"DEBUG": "false"}
    if secret is not None:
        env["SECRET_KEY"] = secret
    result = run_solidair(env, "check", tmp_path=tmp_path)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "Solidair refuses to start: set SECRET_KEY to a long random value when DEBUG is off."
    ]


def test_voices_are_set_per_language_and_a_bad_setting_stops_the_start(tmp_path):
    show = "from django.conf import settings; print(sorted(settings.TWILIO_VOICES.items()))"
    good = run_solidair(
        {"TWILIO_VOICES": "nl=Google.nl-BE-Standard-A, fr="}, "shell", "-c", show, tmp_path=tmp_path
    )
    assert good.stdout.strip().splitlines()[-1] == "[('fr', ''), ('nl', 'Google.nl-BE-Standard-A')]"
    bad = run_solidair({"TWILIO_VOICES": "Polly.Lotte"}, "check", tmp_path=tmp_path)
    assert bad.returncode != 0
    assert "TWILIO_VOICES must read like fr=Polly.Celine,nl=Polly.Lotte" in bad.stderr


@pytest.mark.parametrize(
    ("left_out", "told"),
    [
        ("SITE_URL", "set SITE_URL to the public https address"),
        ("NOTIFICATIONS_PROVIDER", "set NOTIFICATIONS_PROVIDER: twilio"),
    ],
)
def test_production_says_what_is_missing_instead_of_sending_nothing(tmp_path, left_out, told):
    env = dict(production_env())
    del env[left_out]
    result = run_solidair(env, "check", tmp_path=tmp_path)
    assert result.returncode != 0 and told in result.stderr


def test_one_vapid_key_without_the_other_is_refused(tmp_path):
    result = run_solidair({"VAPID_PUBLIC_KEY": "BPublic"}, "check", tmp_path=tmp_path)
    assert result.returncode != 0
    assert "Set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY, or neither" in result.stderr


def test_a_worker_timeout_shorter_than_three_heartbeats_is_refused(tmp_path):
    env = {"WORKER_HEARTBEAT_SECONDS": "60", "WORKER_DEAD_AFTER_SECONDS": "60"}
    result = run_solidair(env, "check", tmp_path=tmp_path)
    assert result.returncode != 0
    assert "at least three times WORKER_HEARTBEAT_SECONDS" in result.stderr


def test_a_bad_boolean_is_named(tmp_path):
    result = run_solidair({"DEBUG": "perhaps"}, "check", tmp_path=tmp_path)
    assert result.returncode != 0
    assert "DEBUG must be true or false, not 'perhaps'" in result.stderr


def production_env():
    env = {}
    for line in PRODUCTION_EXAMPLE.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            env[name.strip()] = value.strip()
    return env


def test_the_documented_production_example_passes_check_deploy(tmp_path):
    env = production_env()
    env.pop("DATABASE_URL")  # the check needs no database server
    result = run_solidair(env, "check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
