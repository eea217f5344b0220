"""Solidair settings, read from environment variables (see the README's reference).

The defaults run the demo straight after a clone: SQLite in ./data, debug on, a
development secret key. With DEBUG off, start-up refuses the development key.
"""

import importlib.util
import sys
from pathlib import Path
from typing import Any

import dj_database_url

from solidair.env import ConfigurationError, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("SOLIDAIR_DATA_DIR", str(Path.cwd() / "data")))

DEVELOPMENT_SECRET_KEY = "solidair-development-key-not-for-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
DEBUG = env_bool("DEBUG", True)

if not DEBUG and SECRET_KEY in ("", DEVELOPMENT_SECRET_KEY):
    # One clear line, no traceback: this is the first thing an administrator sees.
    sys.stderr.write(
        "Solidair refuses to start: set SECRET_KEY to a long random value when DEBUG is off.\n"
    )
    raise SystemExit(2)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://localhost:8000")
if not DEBUG and not env_str("SITE_URL").startswith("https://"):
    # The provider's webhooks, delivery reports and links in messages point here.
    raise ConfigurationError("With DEBUG off, set SITE_URL to the public https address of Solidair")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "allauth",
    "allauth.account",
    "solidair.places",
    "solidair.people",
    "solidair.missions",
    "solidair.notifications",
    "solidair.callcentre",
    "solidair.matching",
    "solidair.telephony",
    "solidair.helpers",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "solidair.people.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "solidair.urls"
WSGI_APPLICATION = "solidair.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "solidair.people.context_processors.roles",
                "solidair.callcentre.context_processors.current_call",
            ],
        },
    },
]

try:
    DATABASES = {
        "default": dj_database_url.parse(
            env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'solidair.sqlite3'}"),
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        )
    }
except ValueError as error:
    raise ConfigurationError(f"DATABASE_URL cannot be understood: {error}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the web server and the worker read while one of them writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
# Sign-up is by invitation from staff for now; helpers get their own sign-up flow.
ACCOUNT_ADAPTER = "solidair.people.adapters.AccountAdapter"
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("nl", "Nederlands"), ("en", "English"), ("de", "Deutsch")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Brussels")
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "solidair_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "static/"
# Leaflet's files come from the installed django-leaflet package; its Django app is not
# installed, because it needs the GDAL system library, which Solidair does without.
_LEAFLET = importlib.util.find_spec("leaflet")
STATICFILES_DIRS: list[Path | tuple[str, Path]] = [BASE_DIR / "static"]
if _LEAFLET is not None and _LEAFLET.origin:
    STATICFILES_DIRS.append(("leaflet", Path(_LEAFLET.origin).parent / "static" / "leaflet"))
MAP_TILES_URL = env_str("MAP_TILES_URL", "")
MAP_TILES_ATTRIBUTION = env_str("MAP_TILES_ATTRIBUTION", "")
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Serve straight from the installed packages when collectstatic has not run.
WHITENOISE_USE_FINDERS = True
if DEBUG:  # WhiteNoise warns at every start when the folder is missing.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
MEDIA_URL = "media/"

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Solidair <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Street-level geocoding: a Nominatim-compatible search URL, off when empty.
GEOCODER_URL = env_str("GEOCODER_URL", "")
GEOCODER_USER_AGENT = env_str("GEOCODER_USER_AGENT", "Solidair (set GEOCODER_USER_AGENT)")
GEOCODER_TIMEOUT_SECONDS = env_int("GEOCODER_TIMEOUT_SECONDS", 5)

# The version of the consent text read to a helpee; raise it when the text changes.
CONSENT_TEXT_VERSION = "2026-11"

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
USE_X_FORWARDED_HOST = env_bool("USE_X_FORWARDED_HOST", False)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# Background jobs and notifications (docs/notifications.md).
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]
TASKS_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",  # run by `solidair worker`
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",  # tests: runs at once
}
SOLIDAIR_TASKS_BACKEND = env_str("SOLIDAIR_TASKS_BACKEND", "database")
if SOLIDAIR_TASKS_BACKEND not in TASKS_BACKENDS:
    raise ConfigurationError(
        f"SOLIDAIR_TASKS_BACKEND must be one of {sorted(TASKS_BACKENDS)}, "
        f"not {SOLIDAIR_TASKS_BACKEND!r}"
    )
TASKS = {"default": {"BACKEND": TASKS_BACKENDS[SOLIDAIR_TASKS_BACKEND]}}
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 5)
# A worker silent for this long is dead: its running job is run again by another.
WORKER_DEAD_AFTER_SECONDS = env_int("WORKER_DEAD_AFTER_SECONDS", 60)
if WORKER_DEAD_AFTER_SECONDS < 3 * WORKER_HEARTBEAT_SECONDS:
    # A live worker would be taken for dead between two heartbeats, its jobs run twice.
    raise ConfigurationError(
        "WORKER_DEAD_AFTER_SECONDS must be at least three times WORKER_HEARTBEAT_SECONDS"
    )
# Jobs run with no cron: {name: {"task": dotted path, "every_seconds": n}}.
PERIODIC_JOBS: dict[str, dict[str, Any]] = {
    "reminders": {
        "task": "solidair.notifications.tasks.reminders_send",
        "every_seconds": 15 * 60,
    },
    "purge_console_records": {
        "task": "solidair.notifications.tasks.console_records_purge",
        "every_seconds": 6 * 3600,
    },
}

NOTIFICATIONS_PROVIDER = env_str("NOTIFICATIONS_PROVIDER", "console")  # or "twilio"
if not DEBUG and not env_str("NOTIFICATIONS_PROVIDER"):
    # The console only records messages: in production that would silently reach nobody.
    raise ConfigurationError(
        "With DEBUG off, set NOTIFICATIONS_PROVIDER: twilio to send text messages and "
        "calls, or console to only record them (they then reach nobody)"
    )
if NOTIFICATIONS_PROVIDER not in ("console", "twilio"):
    raise ConfigurationError(
        f"NOTIFICATIONS_PROVIDER must be console or twilio, not {NOTIFICATIONS_PROVIDER!r}"
    )
NOTIFICATIONS_MAX_TRIES = env_int("NOTIFICATIONS_MAX_TRIES", 5)
NOTIFICATIONS_RETRY_BASE_SECONDS = env_int("NOTIFICATIONS_RETRY_BASE_SECONDS", 30)
NOTIFICATIONS_RETRY_CAP_SECONDS = env_int("NOTIFICATIONS_RETRY_CAP_SECONDS", 3600)
NOTIFICATIONS_CONSOLE_KEEP_DAYS = env_int("NOTIFICATIONS_CONSOLE_KEEP_DAYS", 14)
# Makes the console provider as slow as a real one (demo, and the killed-worker test).
NOTIFICATIONS_CONSOLE_DELAY_MS = env_int("NOTIFICATIONS_CONSOLE_DELAY_MS", 0)

TWILIO_ACCOUNT_SID = env_str("TWILIO_ACCOUNT_SID")
# The demo's phone simulator signs its requests with this; never accepted with DEBUG off.
DEMO_TWILIO_AUTH_TOKEN = "demo-only-token"  # noqa: S105
TWILIO_AUTH_TOKEN = env_str(
    "TWILIO_AUTH_TOKEN",
    DEMO_TWILIO_AUTH_TOKEN if DEBUG and NOTIFICATIONS_PROVIDER != "twilio" else "",
)
if not DEBUG and TWILIO_AUTH_TOKEN == DEMO_TWILIO_AUTH_TOKEN:
    raise ConfigurationError("TWILIO_AUTH_TOKEN cannot be the demo's token when DEBUG is off")
TWILIO_FROM_NUMBER = env_str("TWILIO_FROM_NUMBER")
# SignalWire or Telnyx TeXML: their Twilio-compatible API address.
TWILIO_API_BASE_URL = env_str("TWILIO_API_BASE_URL", "https://api.twilio.com")
TWILIO_TIMEOUT_SECONDS = env_int("TWILIO_TIMEOUT_SECONDS", 10)
# The voice of each language's <Say>: the provider's default voice ("man") speaks no
# Dutch. Amazon Polly's standard voices, offered by Twilio, SignalWire and Telnyx alike;
# "nl=" (empty) leaves that language to the provider's default.
TWILIO_VOICES: dict[str, str] = {}
for _pair in env_list(
    "TWILIO_VOICES", ["fr=Polly.Celine", "nl=Polly.Lotte", "en=Polly.Amy", "de=Polly.Vicki"]
):
    _code, _equals, _voice = _pair.partition("=")
    if not _equals or _code.strip() not in {"fr", "nl", "en", "de"}:
        raise ConfigurationError(
            f"TWILIO_VOICES must read like fr=Polly.Celine,nl=Polly.Lotte, not {_pair!r}"
        )
    TWILIO_VOICES[_code.strip()] = _voice.strip()
if NOTIFICATIONS_PROVIDER == "twilio" and not (
    TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN and TWILIO_FROM_NUMBER
):
    raise ConfigurationError(
        "NOTIFICATIONS_PROVIDER=twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN "
        "and TWILIO_FROM_NUMBER"
    )

# Web Push: make the keys with `solidair vapid`. Without them, push goes to the console.
VAPID_PUBLIC_KEY = env_str("VAPID_PUBLIC_KEY")
VAPID_PRIVATE_KEY = env_str("VAPID_PRIVATE_KEY")
VAPID_SUBJECT = env_str("VAPID_SUBJECT", "mailto:noreply@localhost")
if bool(VAPID_PUBLIC_KEY) != bool(VAPID_PRIVATE_KEY):
    # One without the other: phones would subscribe, and every push go to the console.
    raise ConfigurationError("Set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY, or neither")

# Helpers: identity documents and receipts live in MEDIA_ROOT/private, never served
# publicly (docs/helpers.md). Identity images are deleted once checked, or after this.
HELPERS_IDENTITY_KEEP_DAYS = env_int("HELPERS_IDENTITY_KEEP_DAYS", 7)
HELPERS_UPLOAD_MAX_MB = env_int("HELPERS_UPLOAD_MAX_MB", 10)
PERIODIC_JOBS["purge_identity_images"] = {
    "task": "solidair.helpers.tasks.identity_images_purge",
    "every_seconds": 3600,
}
# A receipt's photo is kept this long after its mission, for staff to check the amount.
HELPERS_RECEIPT_KEEP_DAYS = env_int("HELPERS_RECEIPT_KEEP_DAYS", 60)
PERIODIC_JOBS["purge_receipts"] = {
    "task": "solidair.helpers.tasks.receipts_purge",
    "every_seconds": 24 * 3600,
}

# Matching and dispatch (docs/matching.md); waves per organisation: DispatchPolicy.
# A wave overdue by this long (its job lost) is sent by the safety net.
MATCHING_OVERDUE_SECONDS = env_int("MATCHING_OVERDUE_SECONDS", 120)
PERIODIC_JOBS["dispatch_waves"] = {
    "task": "solidair.matching.tasks.waves_send",
    "every_seconds": env_int("MATCHING_SAFETY_NET_SECONDS", 60),
}
# The dormant reserve may be woken once per organisation in this many hours.
RESERVE_WAKE_EVERY_HOURS = env_int("RESERVE_WAKE_EVERY_HOURS", 6)
