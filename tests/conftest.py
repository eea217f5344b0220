"""One shared cast (STYLE.md): two organisations, a helper, a helpee, an operator,
a moderator, a coordinator, an outsider; and a client that enforces CSRF."""

import importlib
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client

from solidair.missions.models import Theme
from solidair.people.models import (
    Helpee,
    Helper,
    Organisation,
    RoleKind,
    User,
    Verification,
)
from solidair.people.services import HelpeeDetails, helpee_create

PASSWORD = "a-long-test-password"


def pytest_configure(config):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Put back the reference data (postcodes, launch themes) that the migrations load,
    when a reused database lost it to a transactional test's flush."""
    from django.apps import apps

    from solidair.places import data
    from solidair.places.models import Postcode

    launch_themes = importlib.import_module("solidair.missions.migrations.0003_launch_themes")
    detail_forms = importlib.import_module("solidair.missions.migrations.0005_theme_detail_forms")
    with django_db_blocker.unblock():
        if not Postcode.objects.exists():
            data.load(Postcode)
        launch_themes.add_themes(apps, None)
        detail_forms.set_forms(apps, None)


class CsrfClient(Client):
    """A test client that enforces CSRF, and sends a valid token with each POST, as a
    browser that loaded the form would."""

    def __init__(self, **kwargs):
        super().__init__(enforce_csrf_checks=True, **kwargs)
        self.token = _get_new_csrf_string()
        self.cookies[settings.CSRF_COOKIE_NAME] = self.token

    def post(self, path, data=None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrfmiddlewaretoken", self.token)
        return super().post(path, data, **kwargs)


@pytest.fixture
def client():
    return CsrfClient()


def make_user(organisation, name, *kinds, language="en", trusted=False):
    user = User.objects.create_user(
        f"{name}@example.org", PASSWORD, first_name=name.capitalize(), language=language
    )
    for kind in kinds:
        user.roles.create(organisation=organisation, kind=kind, trusted=trusted)
    return user


def make_helpee(organisation, by, *, first_name="Jeanne", phone="+3225551234", postcode="1050"):
    return helpee_create(
        organisation=organisation,
        by=by,
        details=HelpeeDetails(
            first_name=first_name,
            last_name="Dupont",
            language="fr",
            postcode=postcode,
            latitude=50.8223,
            longitude=4.3816,
            street="Rue du Bailli",
            house_number="12",
            city="Ixelles",
            notes_for_helpers="Ring twice, hard of hearing.",
        ),
        phone_numbers=[phone],
        consent=True,
    )


def make_helper(organisation, name, *, verified=True, latitude=50.83, longitude=4.37):
    user = make_user(organisation, name, RoleKind.HELPER)
    helper = Helper.objects.create(
        user=user,
        organisation=organisation,
        postcode="1050",
        city="Ixelles",
        latitude=latitude,
        longitude=longitude,
        languages=["fr", "en"],
        verification=Verification.APPROVED if verified else Verification.PENDING,
    )
    helper.themes.set(Theme.objects.filter(active=True))  # a helper who does everything
    return helper


def groceries_theme():
    # Transactional tests (browser, concurrency) flush what the data migration made.
    theme, _created = Theme.objects.get_or_create(
        key="groceries",
        defaults={
            "name_fr": "Courses",
            "name_nl": "Boodschappen",
            "name_en": "Groceries",
            "name_de": "Einkäufe",
        },
    )
    return theme


@dataclass
class Cast:
    organisation: Organisation
    elsewhere: Organisation
    operator: User
    trusted_operator: User
    moderator: User
    coordinator: User
    outsider: User
    helper: Helper
    other_helper: Helper
    helpee: Helpee
    groceries: Theme


@pytest.fixture
def cast(db):
    brussels = Organisation.objects.create(
        name="Solidair Brussels", slug="bru", languages=["fr", "nl", "en", "de"], country="BE"
    )
    geneva = Organisation.objects.create(
        name="Solidair Genève", slug="gva", languages=["fr"], country="CH"
    )
    groceries = groceries_theme()  # before the helpers, who do every theme
    operator = make_user(brussels, "operator", RoleKind.OPERATOR)
    return Cast(
        organisation=brussels,
        elsewhere=geneva,
        operator=operator,
        trusted_operator=make_user(brussels, "trusted", RoleKind.OPERATOR, trusted=True),
        moderator=make_user(brussels, "moderator", RoleKind.MODERATOR),
        coordinator=make_user(brussels, "coordinator", RoleKind.COORDINATOR),
        outsider=make_user(geneva, "outsider", RoleKind.OPERATOR, RoleKind.COORDINATOR),
        helper=make_helper(brussels, "helper"),
        other_helper=make_helper(brussels, "otherhelper"),
        helpee=make_helpee(brussels, operator),
        groceries=groceries,
    )


def login(client, user):
    client.force_login(user)
    return client
