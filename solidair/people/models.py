from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidair.languages import Language, LanguageSetField
from solidair.people import phones


class Country(models.TextChoices):
    BE = "BE", _("Belgium")
    CH = "CH", _("Switzerland")


class Organisation(models.Model):
    """A town, an NGO or a country chapter: everything else belongs to exactly one."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("short name"), unique=True)
    hotline_number = models.CharField(_("hotline number"), max_length=20, blank=True)
    languages = LanguageSetField(_("languages offered"), blank=False)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Brussels")
    unmatched_after_hours = models.PositiveSmallIntegerField(
        _("missions in trouble after (hours without a helper)"), default=4
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def hotline_display(self) -> str:
        return phones.national(self.hotline_number) if self.hotline_number else ""


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who logs in: helpers and staff. Most helpees never do (see Helpee)."""

    email = models.EmailField(_("email address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=80, blank=True)
    last_name = models.CharField(_("last name"), max_length=80, blank=True)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.FR
    )
    is_staff = models.BooleanField(_("can use the admin site"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email


class RoleKind(models.TextChoices):
    HELPER = "helper", _("Helper")
    OPERATOR = "operator", _("Operator")
    MODERATOR = "moderator", _("Moderator")
    COORDINATOR = "coordinator", _("Coordinator")
    ADMIN = "admin", _("Administrator")


STAFF_ROLES = (RoleKind.OPERATOR, RoleKind.MODERATOR, RoleKind.COORDINATOR, RoleKind.ADMIN)


class Role(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(_("role"), max_length=12, choices=RoleKind.choices)
    trusted = models.BooleanField(
        _("trusted"), default=False, help_text=_("A trusted operator publishes missions directly.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "kind"], name="one_role_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_kind_display()} · {self.organisation}"


class Verification(models.TextChoices):
    PENDING = "pending", _("Waiting for the identity check")
    APPROVED = "approved", _("Verified")
    REJECTED = "rejected", _("Refused")


class Transport(models.TextChoices):
    FOOT = "foot", _("On foot")
    BIKE = "bike", _("By bike")
    PUBLIC = "public", _("By public transport")
    CAR = "car", _("By car")


class Helper(models.Model):
    """A volunteer's profile: where they live, how far they go, when and what they do."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="helper")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="helpers")
    postcode = models.CharField(_("postcode"), max_length=10)
    city = models.CharField(_("city"), max_length=80, blank=True)
    # The helper's own address: staff only, never shown to another helper or a helpee.
    street = models.CharField(_("street"), max_length=120, blank=True)
    house_number = models.CharField(_("number"), max_length=20, blank=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    radius_km = models.PositiveSmallIntegerField(_("how far I will go (km)"), default=5)
    languages = LanguageSetField(_("languages spoken"), blank=False)
    themes = models.ManyToManyField("missions.Theme", verbose_name=_("themes"), blank=True)
    availability = models.JSONField(
        _("weekly availability"),
        default=dict,
        blank=True,
        help_text=_('Parts of day per weekday, e.g. {"mon": ["morning", "evening"]}.'),
    )
    available_now = models.BooleanField(_("available now"), default=False)
    # Offers paused by the helper (an SMS "STOP", or the switch on their page): no alert,
    # no offer, until they resume.
    paused = models.BooleanField(_("offers paused"), default=False)
    max_missions_per_week = models.PositiveSmallIntegerField(
        _("missions per week, at most"), default=3
    )
    verification = models.CharField(
        _("identity check"),
        max_length=10,
        choices=Verification.choices,
        default=Verification.PENDING,
    )
    verified_at = models.DateTimeField(_("verified on"), null=True, blank=True)
    transport = models.CharField(
        _("how I get around"), max_length=8, choices=Transport.choices, blank=True
    )
    dogs_ok = models.BooleanField(_("dogs are fine with me"), default=False)
    conduct_accepted_at = models.DateTimeField(
        _("code of conduct accepted on"), null=True, blank=True
    )
    # Reliability: missions done, and missions given back after accepting them.
    missions_done = models.PositiveIntegerField(_("missions done"), default=0)
    missions_released = models.PositiveIntegerField(_("missions given back"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("helper")
        verbose_name_plural = _("helpers")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def is_verified(self) -> bool:
        return self.verification == Verification.APPROVED


class LocationSource(models.TextChoices):
    POSTCODE = "postcode", _("Centre of the postcode")
    GEOCODER = "geocoder", _("Street address")
    MANUAL = "manual", _("Placed by hand")


class Helpee(models.Model):
    """A person who asks for help. Most never log in: operators speak for them."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="helpees")
    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=80)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.FR
    )
    street = models.CharField(_("street"), max_length=120, blank=True)
    house_number = models.CharField(_("number"), max_length=20, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10)
    city = models.CharField(_("city"), max_length=80, blank=True)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices, default="BE")
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    location_source = models.CharField(
        _("location from"),
        max_length=10,
        choices=LocationSource.choices,
        default=LocationSource.POSTCODE,
    )
    notes_for_helpers = models.TextField(
        _("notes for helpers"), blank=True, help_text=_("For example: ring twice, hard of hearing.")
    )
    emergency_contact_name = models.CharField(_("emergency contact"), max_length=120, blank=True)
    emergency_contact_phone = models.CharField(
        _("emergency contact's phone"), max_length=20, blank=True
    )
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("consent recorded by"),
        help_text=_("Empty when the consent was given on the public request form."),
    )
    consent_recorded_at = models.DateTimeField(_("consent recorded on"))
    consent_text_version = models.CharField(_("consent text version"), max_length=20)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("helpee")
        verbose_name_plural = _("helpees")
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["organisation", "postcode"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def address_line(self) -> str:
        street = f"{self.street} {self.house_number}".strip()
        town = f"{self.postcode} {self.city}".strip()
        return ", ".join(part for part in (street, town) if part)


class PhoneKind(models.TextChoices):
    MOBILE = "mobile", _("Mobile")
    LANDLINE = "landline", _("Landline")


class HelpeePhone(models.Model):
    helpee = models.ForeignKey(Helpee, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(_("phone number"), max_length=20, db_index=True)
    kind = models.CharField(_("kind"), max_length=10, choices=PhoneKind.choices)

    class Meta:
        verbose_name = _("phone number")
        verbose_name_plural = _("phone numbers")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["helpee", "number"], name="one_number_per_helpee")
        ]

    def __str__(self) -> str:
        return self.display

    @property
    def display(self) -> str:
        return phones.national(self.number)


class AccessLog(models.Model):
    """Who saw a helpee's contact details or address, when, and on which page."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    helpee = models.ForeignKey(Helpee, on_delete=models.CASCADE, related_name="access_log")
    at = models.DateTimeField(_("when"), default=timezone.now)
    page = models.CharField(_("page"), max_length=200)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["helpee", "-at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.helpee_id} · {self.page}"
