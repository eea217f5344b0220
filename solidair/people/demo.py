"""The demo organisation: Brussels region, 200 helpers, 60 helpees, staff, missions in
every state. Deterministic and idempotent: loading it twice changes nothing."""

import datetime
import random
from functools import cache

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from solidair.missions import services as missions
from solidair.missions.models import Mission, Payback, Theme, Timing
from solidair.people import phones
from solidair.people.models import (
    Helpee,
    HelpeePhone,
    Helper,
    Organisation,
    PhoneKind,
    RoleKind,
    User,
    Verification,
)
from solidair.people.services import HelpeeDetails, helpee_create
from solidair.places import postcodes

PASSWORD = "solidair-demo"  # noqa: S105 (printed for the demo on purpose)
DOMAIN = "demo.solidair.be"
BRUSSELS_POSTCODES = [
    "1000", "1020", "1030", "1040", "1050", "1060", "1070", "1080", "1081", "1082", "1083",
    "1090", "1120", "1130", "1140", "1150", "1160", "1170", "1180", "1190", "1200", "1210",
]  # fmt: skip
FIRST_NAMES = [
    "Marie", "Lucas", "Emma", "Noah", "Louise", "Arthur", "Olivia", "Jules", "Lina", "Adam",
    "Sofia", "Victor", "Anna", "Mohamed", "Elise", "Tom", "Fatima", "Lars", "Nora", "Youssef",
    "Hanne", "Pieter", "Amélie", "Jan", "Inès", "Wout", "Clara", "Hugo", "Ayşe", "Simon",
]  # fmt: skip
LAST_NAMES = [
    "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens",
    "Dubois", "Lambert", "Dupont", "Martin", "Leroy", "Lemaire", "El Amrani", "Van Damme",
    "De Smet", "Wouters", "Hermans", "Renard", "Fontaine", "Benali", "Vermeulen", "Simon",
]  # fmt: skip
STREETS = [
    "Rue Haute", "Chaussée de Wavre", "Avenue Louise", "Rue Royale", "Kerkstraat",
    "Rue du Midi", "Boulevard Anspach", "Avenue de Tervueren", "Rue de Flandre", "Dorpsstraat",
]  # fmt: skip
PARTS_OF_DAY = ["morning", "afternoon", "evening"]
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

STAFF = [
    ("coordinator", "Claire", "Dewitte", RoleKind.COORDINATOR, "fr"),
    ("moderator1", "Bram", "Verhoeven", RoleKind.MODERATOR, "nl"),
    ("moderator2", "Sophie", "Lenoir", RoleKind.MODERATOR, "fr"),
    ("operator1", "Anne", "Collard", RoleKind.OPERATOR, "fr"),
    ("operator2", "Koen", "De Backer", RoleKind.OPERATOR, "nl"),
    ("operator3", "Sarah", "Thompson", RoleKind.OPERATOR, "en"),
    ("operator4", "Jonas", "Keller", RoleKind.OPERATOR, "de"),
    ("admin", "Alex", "Admin", RoleKind.ADMIN, "en"),
]


def email(name: str) -> str:
    return f"{name}@{DOMAIN}"


@cache
def _password_hash() -> str:
    # Hashed once: hashing it 208 times would take a minute and a half.
    return make_password(PASSWORD)


def _user(name: str, first: str, last: str, language: str) -> User:
    user, _created = User.objects.get_or_create(
        email=email(name),
        defaults={
            "first_name": first,
            "last_name": last,
            "language": language,
            "password": _password_hash(),
        },
    )
    return user


def _scatter(rng: random.Random, postcode: str) -> tuple[float, float]:
    place = postcodes.locate("BE", postcode)
    assert place is not None, postcode
    return place.latitude + rng.uniform(-0.006, 0.006), place.longitude + rng.uniform(-0.009, 0.009)


def _languages(rng: random.Random) -> list[str]:
    spoken = [code for code, share in (("fr", 0.75), ("nl", 0.4), ("en", 0.45), ("de", 0.06))
              if rng.random() < share]  # fmt: skip
    return spoken or ["fr"]


@transaction.atomic
def load() -> Organisation:
    rng = random.Random(2020)  # noqa: S311 (demo data, not secrets)
    organisation, _created = Organisation.objects.get_or_create(
        slug="brussels",
        defaults={
            "name": "Solidair Brussels",
            "hotline_number": "+3225550100",
            "languages": ["fr", "nl", "en", "de"],
            "country": "BE",
            "time_zone": "Europe/Brussels",
        },
    )
    staff = {}
    for name, first, last, kind, language in STAFF:
        user = _user(name, first, last, language)
        user.roles.get_or_create(
            organisation=organisation, kind=kind, defaults={"trusted": name == "operator1"}
        )
        staff[name] = user
    admin = staff["admin"]
    if not admin.is_superuser:
        admin.is_staff = admin.is_superuser = True
        admin.save()
    if organisation.helpers.exists():
        _call_centre(rng, organisation, staff)
        _phone_simulator(organisation, staff)
        return organisation  # already loaded: nothing is duplicated

    themes = list(Theme.objects.all())
    helpers = []
    for n in range(1, 201):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        language = rng.choice(["fr", "fr", "nl", "en"])
        user = _user(f"helper{n}", first, last, language)
        user.phone = f"+32470{n:06d}"
        user.save(update_fields=["phone"])
        user.roles.get_or_create(organisation=organisation, kind=RoleKind.HELPER)
        postcode = rng.choice(BRUSSELS_POSTCODES)
        latitude, longitude = _scatter(rng, postcode)
        place = postcodes.locate("BE", postcode)
        verified = n <= 170
        helper = Helper.objects.create(
            user=user,
            organisation=organisation,
            postcode=postcode,
            city=place.locality if place else "",
            latitude=latitude,
            longitude=longitude,
            radius_km=rng.choice([1, 2, 3, 5, 5, 8, 10, 15, 20]),
            languages=sorted(set(_languages(rng)) | {language}),
            availability={
                day: sorted(rng.sample(PARTS_OF_DAY, rng.randint(1, 3)))
                for day in WEEKDAYS
                if rng.random() < 0.5
            },
            available_now=rng.random() < 0.3,
            max_missions_per_week=rng.choice([1, 2, 3, 5]),
            verification=Verification.APPROVED if verified else Verification.PENDING,
            verified_at=timezone.now() if verified else None,
        )
        helper.themes.set(rng.sample(themes, rng.randint(1, len(themes))))
        helpers.append(helper)

    from solidair.matching.services import matching_reindex

    matching_reindex()  # the helpers on the map before the first mission is published
    operator = staff["operator1"]
    helpees = []
    for n in range(1, 61):
        postcode = rng.choice(BRUSSELS_POSTCODES)
        latitude, longitude = _scatter(rng, postcode)
        place = postcodes.locate("BE", postcode)
        landline = rng.random() < 0.6
        number = f"+3225{n:02d}{rng.randint(1000, 9999)}" if landline else f"+32477{n:06d}"
        helpees.append(
            helpee_create(
                organisation=organisation,
                by=operator,
                details=HelpeeDetails(
                    first_name=rng.choice(FIRST_NAMES),
                    last_name=rng.choice(LAST_NAMES),
                    language=rng.choice(["fr", "fr", "fr", "nl", "nl", "en", "de"]),
                    postcode=postcode,
                    latitude=latitude,
                    longitude=longitude,
                    street=rng.choice(STREETS),
                    house_number=str(rng.randint(1, 220)),
                    city=place.locality if place else "",
                    notes_for_helpers=rng.choice(
                        ["", "", "Sonner deux fois, malentendante.", "Derde verdieping, geen lift."]
                    ),
                    emergency_contact_name=rng.choice(["", "Daughter: Julie", "Zoon: Pieter"]),
                ),
                phone_numbers=[phones.to_e164(number)],
                consent=True,
            )
        )
    _missions(rng, organisation, helpees, helpers, themes, staff)
    _call_centre(rng, organisation, staff)
    _phone_simulator(organisation, staff)
    return organisation


# The phone simulator's demo (docs/telephony.md): a Dutch-speaking helpee who calls,
# a Dutch-speaking operator on shift whose phone rings, and a second line, closed.
SIMULATOR_CALLER = "+3225550142"  # the simulator's default caller (telephony/simulator.py)
SIMULATOR_OPERATOR_PHONE = "+32470990002"
CLOSED_LINE = "+3216550100"


def _phone_simulator(organisation: Organisation, staff: dict[str, User]) -> None:
    """Once: the caller, the operator on shift, the closed line."""
    from solidair.callcentre.models import Shift
    from solidair.telephony.models import LineSettings, OpeningHours

    # Brussels answers every day, public holidays too, so that the demo always works.
    LineSettings.objects.get_or_create(
        organisation=organisation, defaults={"closed_on_public_holidays": False}
    )
    koen = staff["operator2"]
    if not HelpeePhone.objects.filter(number=SIMULATOR_CALLER).exists():
        # One of the Dutch-speaking helpees calls from this landline.
        caller = (
            Helpee.objects.filter(organisation=organisation, language="nl").order_by("-pk").first()
        )
        phone = caller.phones.first() if caller is not None else None
        if phone is not None:
            HelpeePhone.objects.filter(pk=phone.pk).update(
                number=SIMULATOR_CALLER, kind=PhoneKind.LANDLINE
            )
    if not Shift.objects.filter(operator=koen, ended_at__isnull=True).exists():
        Shift.objects.create(
            organisation=organisation,
            operator=koen,
            languages=["nl", "en"],
            phone=SIMULATOR_OPERATOR_PHONE,
        )
    leuven, created = Organisation.objects.get_or_create(
        slug="leuven",
        defaults={
            "name": "Solidair Leuven",
            "hotline_number": CLOSED_LINE,
            "languages": ["nl", "en"],
            "country": "BE",
            "time_zone": "Europe/Brussels",
        },
    )
    if created:
        # Open one minute a day, at midnight: closed whenever the demo is shown.
        OpeningHours.objects.bulk_create(
            OpeningHours(
                organisation=leuven,
                weekday=day,
                opens=datetime.time(0, 0),
                closes=datetime.time(0, 1),
            )
            for day in range(7)
        )
    for name, kind in (
        ("coordinator", RoleKind.COORDINATOR),
        ("operator2", RoleKind.OPERATOR),
        ("admin", RoleKind.ADMIN),
    ):
        staff[name].roles.get_or_create(organisation=leuven, kind=kind)


HELP_LINES = [
    ("Télé-Accueil", "107", "Écoute 24h/24, en français"),
    ("Tele-Onthaal", "106", "Luisterlijn, dag en nacht, in het Nederlands"),
    ("Centre de Prévention du Suicide", "0800 32 123", "Idées suicidaires"),
    ("Zelfmoordlijn", "1813", "Zelfmoordgedachten"),
    ("1712", "1712", "Violence, abus, maltraitance / geweld, misbruik"),
]


def _call_centre(rng, organisation, staff) -> None:
    """Help lines, a rota for the week, callbacks waiting: once."""
    from solidair.callcentre import services as callcentre
    from solidair.callcentre.models import HelpLine

    if HelpLine.objects.filter(organisation=organisation).exists():
        return
    for name, phone, description in HELP_LINES:
        HelpLine.objects.create(
            organisation=organisation, name=name, phone=phone, description=description
        )
    today = timezone.localdate()
    operators = [staff[f"operator{n}"] for n in range(1, 5)]
    for offset in range(7):
        day = today + datetime.timedelta(days=offset)
        for hour in range(9, 19):
            operator = operators[(hour // 3 + offset) % len(operators)]
            if rng.random() < 0.85:
                moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
                callcentre.rota_plan(
                    organisation=organisation, by=staff["coordinator"], operator=operator,
                    hours=[moment],
                )  # fmt: skip
    helpees = list(Helpee.objects.filter(organisation=organisation)[:3])
    callcentre.callback_create(
        organisation=organisation,
        kind="voicemail",
        phone="+3225550199",
        name="",
        reason="Message: « Bonjour, c’est pour des courses… »",
    )
    callcentre.callback_create(
        organisation=organisation,
        kind="follow_up",
        phone=helpees[0].phones.get().number,
        helpee=helpees[0],
        reason="Se sent seule depuis le décès de sa sœur.",
    )
    callcentre.callback_create(
        organisation=organisation,
        kind="unreachable",
        phone=helpees[1].phones.get().number,
        helpee=helpees[1],
        reason="Le bénévole a sonné deux fois, pas de réponse.",
    )


def _missions(rng, organisation, helpees, helpers, themes, staff) -> None:
    operator, moderator = staff["operator2"], staff["moderator1"]
    coordinator = staff["coordinator"]
    verified = [h for h in helpers if h.is_verified]
    plan = (
        ["draft"] * 3 + ["pending_review"] * 8 + ["published"] * 14 + ["unmatched"] * 4
        + ["assigned"] * 6 + ["in_progress"] * 3 + ["done"] * 10 + ["cancelled"] * 2
    )  # fmt: skip
    today = timezone.localdate()
    for index, target in enumerate(plan):
        helpee = helpees[index % len(helpees)]
        theme = rng.choice(themes)
        fields = {"details": rng.choice(["", "Avant midi si possible.", "Graag na 14 uur."])}
        if theme.key == "groceries":
            fields |= {
                "shopping_list": "Pain, lait, 6 œufs, pommes, café",
                "spending_cap": rng.choice([20, 30, 50]),
                "payback": rng.choice(Payback.values),
            }
        if rng.random() < 0.6:
            start = rng.choice([9, 10, 14, 16])
            fields |= {
                "timing": Timing.WINDOW,
                "day": today + datetime.timedelta(days=rng.randint(1, 6)),
                "time_from": datetime.time(start),
                "time_to": datetime.time(start + 2),
            }
        mission = missions.mission_create(
            helpee=helpee, theme=theme, by=operator, submit=target != "draft", **fields
        )
        if target in ("draft", "pending_review"):
            continue
        if target == "cancelled":
            missions.mission_cancel(mission=mission, by=coordinator, reason="La famille va aider.")
            continue
        missions.mission_publish(mission=mission, by=moderator)
        if target == "unmatched":
            missions.mission_escalate(
                mission=mission, by=None, reason="Aucun bénévole n’a accepté à temps."
            )
        elif target in ("assigned", "in_progress", "done"):
            helper = rng.choice(verified)
            missions.mission_assign(mission=mission, helper=helper, by=helper.user)
            if target in ("in_progress", "done"):
                missions.mission_start(mission=mission, by=helper.user)
            if target == "done":
                missions.mission_complete(mission=mission, by=helper.user)


def accounts() -> list[tuple[str, str]]:
    """(role, email) of the demo logins, to print."""
    return [
        ("coordinator", email("coordinator")),
        ("moderator", email("moderator1")),
        ("operator (trusted)", email("operator1")),
        ("operator", email("operator2")),
        ("helper", email("helper1")),
        ("helper (not yet verified)", email("helper200")),
        ("admin", email("admin")),
    ]


def helpee_count(organisation: Organisation) -> int:
    return Helpee.objects.filter(organisation=organisation).count()


def mission_count(organisation: Organisation) -> int:
    return Mission.objects.filter(organisation=organisation).count()
