"""The help line's own records: how each organisation's line rings, when it is open,
who may not call it, each ring of an operator's phone, masked calls between a helper and
a helpee, and inbound text messages. The calls themselves are callcentre's `Call`."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidair.callcentre.models import Call, Shift
from solidair.missions.models import Mission
from solidair.people.models import Organisation


class RingStrategy(models.TextChoices):
    LONGEST_IDLE = "longest_idle", _("One operator at a time, the longest idle first")
    SIMULTANEOUS = "simultaneous", _("Every free operator at once")


class LineSettings(models.Model):
    """How an organisation's help line rings. An organisation without one uses the
    defaults."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="line_settings"
    )
    ring_strategy = models.CharField(
        _("how operators' phones ring"),
        max_length=14,
        choices=RingStrategy.choices,
        default=RingStrategy.LONGEST_IDLE,
    )
    ring_seconds = models.PositiveSmallIntegerField(
        _("seconds an operator's phone rings"),
        default=20,
        validators=[MinValueValidator(5), MaxValueValidator(60)],
    )
    wait_limit_seconds = models.PositiveSmallIntegerField(
        _("seconds a caller waits before the voicemail"),
        default=180,
        validators=[MinValueValidator(30), MaxValueValidator(1200)],
    )
    closed_on_public_holidays = models.BooleanField(_("closed on public holidays"), default=True)

    class Meta:
        verbose_name = _("help line settings")
        verbose_name_plural = _("help line settings")

    def __str__(self) -> str:
        return str(self.organisation)


class OpeningHours(models.Model):
    """One opening of the line on a weekday, in the organisation's time zone. An
    organisation with none is always open."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="opening_hours"
    )
    weekday = models.PositiveSmallIntegerField(
        _("day"),
        choices=[
            (0, _("Monday")),
            (1, _("Tuesday")),
            (2, _("Wednesday")),
            (3, _("Thursday")),
            (4, _("Friday")),
            (5, _("Saturday")),
            (6, _("Sunday")),
        ],
    )
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens__lt=models.F("closes")), name="opens_before_closes"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes_display}"

    @property
    def closes_display(self) -> str:
        """Open until midnight is kept as the last moment of the day, and read 24:00."""
        return "24:00" if self.closes == datetime.time.max else f"{self.closes:%H:%M}"


class RingOutcome(models.TextChoices):
    RINGING = "ringing", _("Ringing")
    TAKEN = "taken", _("Taken")
    DECLINED = "declined", _("Not taken")
    NO_ANSWER = "no_answer", _("No answer")
    BUSY = "busy", _("Busy")
    FAILED = "failed", _("Failed")
    TOO_LATE = "too_late", _("Taken by another operator")
    CANCELLED = "cancelled", _("Caller left")


class Ring(models.Model):
    """One ring of an operator's own phone for one waiting call: the operator hears the
    whisper and takes the call only by pressing 1."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="rings")
    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="rings")
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The provider's id of the call to the operator's phone.
    provider_sid = models.CharField(max_length=64, unique=True, null=True, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=RingOutcome.choices, default=RingOutcome.RINGING
    )

    class Meta:
        verbose_name = _("ring")
        verbose_name_plural = _("rings")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["operator", "outcome"])]

    def __str__(self) -> str:
        return f"{self.operator} · {self.get_outcome_display()}"


class BlockedCaller(models.Model):
    """A number that abused the line: its calls are refused, kept by coordinators."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="blocked_callers"
    )
    number = models.CharField(_("phone number"), max_length=20)
    reason = models.CharField(_("why"), max_length=200)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)
    calls_refused = models.PositiveIntegerField(_("calls refused"), default=0)

    class Meta:
        verbose_name = _("blocked caller")
        verbose_name_plural = _("blocked callers")
        ordering = ["-added_at"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="one_block_per_number")
        ]

    def __str__(self) -> str:
        return self.number


class MaskedDirection(models.TextChoices):
    HELPER_TO_HELPEE = "to_helpee", _("Helper calls the helpee")
    HELPEE_TO_HELPER = "to_helper", _("Helpee calls the helper")


class MaskedCall(models.Model):
    """A call between a mission's helper and its helpee through the platform number:
    neither sees the other's number."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="masked_calls")
    direction = models.CharField(max_length=10, choices=MaskedDirection.choices)
    # The provider's id of the first leg (the call to the helper, or the helpee's call in).
    provider_sid = models.CharField(max_length=64, unique=True, null=True, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, blank=True)

    class Meta:
        verbose_name = _("masked call")
        verbose_name_plural = _("masked calls")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.mission_id} · {self.get_direction_display()}"


class SmsOutcome(models.TextChoices):
    CONFIRMED = "confirmed", _("Helpee confirmed")
    PAUSED = "paused", _("Helper paused offers")
    RESUMED = "resumed", _("Helper resumed offers")
    UNKNOWN = "unknown", _("Not understood")


class InboundSms(models.Model):
    """A text message sent to the platform number, handled once per provider id."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    provider_sid = models.CharField(max_length=64, unique=True)
    sender = models.CharField(_("from"), max_length=20, blank=True)
    body = models.CharField(_("text"), max_length=1600, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(_("outcome"), max_length=10, choices=SmsOutcome.choices)

    class Meta:
        verbose_name = _("text message received")
        verbose_name_plural = _("text messages received")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.sender or '?'} · {self.received_at:%Y-%m-%d %H:%M}"


class LineNumber(models.Model):
    """A further number that rings the organisation's help line (a regional number, a
    second poster), besides its main `hotline_number`."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="line_numbers"
    )
    number = models.CharField(_("phone number"), max_length=20, unique=True)
    label = models.CharField(_("label"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("help line number")
        verbose_name_plural = _("help line numbers")
        ordering = ["number"]

    def __str__(self) -> str:
        return self.number
