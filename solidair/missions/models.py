from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from solidair.people.models import Helpee, Helper, Organisation


class DetailForm(models.TextChoices):
    """Which details an operator is asked for, for a theme."""

    GENERAL = "general", _("What is needed, in a few words")
    GROCERIES = "groceries", _("Shopping list, spending cap and paying back")
    PHARMACY = "pharmacy", _("Pick-up details")
    DOG = "dog", _("The dog: name, size, temperament")
    PHONE = "phone", _("Preferred call times")


class Theme(models.Model):
    """A kind of help. Data, not code: admins add themes with a name per language."""

    key = models.SlugField(_("key"), unique=True)
    name_fr = models.CharField(_("name in French"), max_length=80)
    name_nl = models.CharField(_("name in Dutch"), max_length=80)
    name_en = models.CharField(_("name in English"), max_length=80)
    name_de = models.CharField(_("name in German"), max_length=80)
    needs_proximity = models.BooleanField(
        _("needs proximity"),
        default=True,
        help_text=_("Off for help given by phone, which any helper can give from anywhere."),
    )
    reach_km = models.PositiveSmallIntegerField(
        _("reach (km)"), default=10, help_text=_("How far a helper may live from the helpee.")
    )
    detail_form = models.CharField(
        _("details asked"), max_length=10, choices=DetailForm.choices, default=DetailForm.GENERAL
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["position", "key"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = (get_language() or "fr")[:2]
        return getattr(self, f"name_{language}", None) or self.name_en


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING_REVIEW = "pending_review", _("Waiting for review")
    PUBLISHED = "published", _("Published")
    UNMATCHED = "unmatched", _("Unmatched")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATES = (
    State.DRAFT,
    State.PENDING_REVIEW,
    State.PUBLISHED,
    State.UNMATCHED,
    State.ASSIGNED,
    State.IN_PROGRESS,
)


class Timing(models.TextChoices):
    ASAP = "asap", _("As soon as possible")
    WINDOW = "window", _("On a given day and time")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


class Recurrence(models.TextChoices):
    NONE = "none", _("Once")
    WEEKLY = "weekly", _("Every week")


class Payback(models.TextChoices):
    CASH = "cash", _("Cash, against the receipt")
    TRANSFER = "transfer", _("Bank transfer, against the receipt")
    PREPAID = "prepaid", _("Paid in advance by the helpee or a relative")


class DogSize(models.TextChoices):
    SMALL = "small", _("Small")
    MEDIUM = "medium", _("Medium")
    LARGE = "large", _("Large")


class Trouble(models.TextChoices):
    NONE = "", _("None")
    RELEASED = "released", _("Released by the helper")
    NO_SHOW = "no_show", _("The helper did not come")
    UNREACHABLE = "unreachable", _("The helpee could not be reached")


class Source(models.TextChoices):
    PHONE = "phone", _("Phone line")
    WEB = "web", _("Web form")
    STAFF = "staff", _("Staff")


class Mission(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="missions"
    )
    helpee = models.ForeignKey(Helpee, on_delete=models.PROTECT, related_name="missions")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, verbose_name=_("theme"))
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.DRAFT, db_index=True
    )
    details = models.TextField(_("what is needed"), blank=True)
    shopping_list = models.TextField(_("shopping list"), blank=True)
    spending_cap = models.DecimalField(
        _("spending cap (€)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0.01)],
    )
    payback = models.CharField(
        _("how the helpee pays back"), max_length=10, choices=Payback.choices, blank=True
    )
    pickup_details = models.TextField(
        _("pick-up details"),
        blank=True,
        help_text=_(
            "Where and when to pick up, and how it is paid. Never a medicine or an illness."
        ),
    )
    dog_name = models.CharField(_("the dog's name"), max_length=60, blank=True)
    dog_size = models.CharField(_("size"), max_length=6, choices=DogSize.choices, blank=True)
    dog_temperament = models.CharField(_("temperament"), max_length=200, blank=True)
    call_times = models.CharField(_("preferred call times"), max_length=200, blank=True)
    timing = models.CharField(_("when"), max_length=8, choices=Timing.choices, default=Timing.ASAP)
    day = models.DateField(_("day"), null=True, blank=True)
    time_from = models.TimeField(_("from"), null=True, blank=True)
    time_to = models.TimeField(_("until"), null=True, blank=True)
    urgency = models.CharField(
        _("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL
    )
    recurrence = models.CharField(
        _("recurrence"), max_length=8, choices=Recurrence.choices, default=Recurrence.NONE
    )
    helper = models.ForeignKey(
        Helper,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="missions",
        verbose_name=_("helper"),
    )
    trouble = models.CharField(
        _("trouble"), max_length=12, choices=Trouble.choices, default="", blank=True
    )
    helpee_confirmed_at = models.DateTimeField(
        _("the helpee confirmed receiving the help"), null=True, blank=True
    )
    # Told to the helpee, given by the helper at the door; valid while assigned or under way.
    door_code = models.CharField(_("door code"), max_length=4, blank=True)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    # A form's one-time token: the same form submitted twice makes one mission.
    submission_token = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # Raised by every write; a save from a stale copy is refused (see mission_update).
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "state"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.theme}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class MissionEvent(models.Model):
    """One change of a mission's state: who, when, from, to and why."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    from_state = models.CharField(_("from"), max_length=16, choices=State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=16, choices=State.choices)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("mission event")
        verbose_name_plural = _("mission events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.mission_id}: {self.from_state} → {self.to_state}"
