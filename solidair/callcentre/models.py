import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidair.languages import LanguageSetField
from solidair.missions.models import Mission
from solidair.people.models import Helpee, Organisation


class Shift(models.Model):
    """An operator answering the line, from start to end, in the languages they speak."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="shifts")
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="shifts"
    )
    languages = LanguageSetField(_("languages I speak"), blank=False)
    phone = models.CharField(_("phone number where calls should ring"), max_length=20)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["operator"],
                condition=models.Q(ended_at__isnull=True),
                name="one_open_shift_per_operator",
            )
        ]

    def __str__(self) -> str:
        return f"{self.operator} · {self.started_at:%Y-%m-%d %H:%M}"


class PlannedShift(models.Model):
    """One hour of the rota that a coordinator planned for an operator."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="planned_shifts"
    )
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="planned_shifts"
    )
    starts_at = models.DateTimeField(_("hour"))

    class Meta:
        verbose_name = _("planned shift")
        verbose_name_plural = _("rota")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["operator", "starts_at"], name="one_plan_per_hour")
        ]

    def __str__(self) -> str:
        return f"{self.operator} · {self.starts_at:%Y-%m-%d %H:00}"


class HelpLine(models.Model):
    """A professional help line an organisation refers callers to."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="help_lines"
    )
    name = models.CharField(_("name"), max_length=120)
    phone = models.CharField(_("phone number"), max_length=30)
    description = models.CharField(_("for what"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("help line")
        verbose_name_plural = _("help lines")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.phone})"


class SupportCall(models.Model):
    """A listening-line call: someone needed to talk, no errand."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    helpee = models.ForeignKey(
        Helpee, on_delete=models.PROTECT, null=True, blank=True, related_name="support_calls"
    )
    operator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    caller_name = models.CharField(_("caller's name"), max_length=120, blank=True)
    caller_phone = models.CharField(_("caller's number"), max_length=20, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    mood = models.PositiveSmallIntegerField(
        _("mood"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("From 1 (very low) to 5 (very good)."),
    )
    referral = models.ForeignKey(
        HelpLine,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("referred to"),
    )
    notes = models.TextField(_("notes"), blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("listening call")
        verbose_name_plural = _("listening calls")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} · {self.duration_minutes} min"


class CallbackKind(models.TextChoices):
    VOICEMAIL = "voicemail", _("Voicemail")
    WEB_REQUEST = "web_request", _("Web request")
    FOLLOW_UP = "follow_up", _("Follow-up call")
    UNREACHABLE = "unreachable", _("A helper could not reach them")
    REVIEW = "review", _("Tell the requester")
    MISSED = "missed", _("Hung up while waiting")
    NOT_REACHED = "not_reached", _("A message did not reach them")


class CallbackState(models.TextChoices):
    OPEN = "open", _("To call")
    CLAIMED = "claimed", _("Being called")
    DONE = "done", _("Done")


# A claimed callback nobody recorded after this long may be taken over by another.
CLAIM_EXPIRES = datetime.timedelta(minutes=30)


class Callback(models.Model):
    """Someone to call back. Claimed by exactly one operator at a time."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    helpee = models.ForeignKey(
        Helpee, on_delete=models.CASCADE, null=True, blank=True, related_name="callbacks"
    )
    mission = models.ForeignKey(
        Mission, on_delete=models.SET_NULL, null=True, blank=True, related_name="callbacks"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=CallbackKind.choices)
    name = models.CharField(_("name"), max_length=120, blank=True)
    phone = models.CharField(_("phone number"), max_length=20)
    reason = models.TextField(_("why"), blank=True)
    recording_url = models.URLField(_("recording"), blank=True)
    due_at = models.DateTimeField(_("call from"), default=timezone.now)
    state = models.CharField(
        _("state"), max_length=8, choices=CallbackState.choices, default=CallbackState.OPEN
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    failed_tries = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("callback")
        verbose_name_plural = _("callbacks")
        ordering = ["due_at", "pk"]
        indexes = [models.Index(fields=["organisation", "state", "due_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.phone}"

    @property
    def claim_expired(self) -> bool:
        """Claimed so long ago that the operator has surely moved on (logged off, left
        the tab): another operator may take it over."""
        return (
            self.state == CallbackState.CLAIMED
            and self.claimed_at is not None
            and timezone.now() - self.claimed_at > CLAIM_EXPIRES
        )


class Outcome(models.TextChoices):
    REACHED = "reached", _("Reached")
    NO_ANSWER = "no_answer", _("No answer")
    WRONG_NUMBER = "wrong_number", _("Wrong number")


class CallbackAttempt(models.Model):
    callback = models.ForeignKey(Callback, on_delete=models.CASCADE, related_name="attempts")
    operator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    notes = models.TextField(_("notes"), blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.callback_id} · {self.outcome}"


class WelfareConcern(models.Model):
    """A helpee nobody could reach three times: the coordinators must act."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    helpee = models.ForeignKey(
        Helpee, on_delete=models.CASCADE, null=True, blank=True, related_name="concerns"
    )
    callback = models.ForeignKey(Callback, on_delete=models.SET_NULL, null=True, blank=True)
    raised_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolution = models.TextField(_("what was done"), blank=True)

    class Meta:
        verbose_name = _("welfare concern")
        verbose_name_plural = _("welfare concerns")
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return f"{self.helpee} · {self.raised_at:%Y-%m-%d}"


class WebRequest(models.Model):
    """Who asked for help on the public form, and how the helpee wants to be contacted."""

    class Contact(models.TextChoices):
        CALL_HELPEE = "call_helpee", _("Call the person who needs help")
        CALL_REQUESTER = "call_requester", _("Call me, the person filling in this form")
        SMS_HELPEE = "sms_helpee", _("Send a text message to the person who needs help")
        EMAIL_REQUESTER = "email_requester", _("Email me")

    class Relation(models.TextChoices):
        SELF = "self", _("I need help myself")
        RELATIVE = "relative", _("A relative")
        NEIGHBOUR = "neighbour", _("A neighbour or a friend")
        PROFESSIONAL = "professional", _("A social worker or a care professional")

    mission = models.OneToOneField(Mission, on_delete=models.CASCADE, related_name="web_request")
    relation = models.CharField(_("who are you?"), max_length=12, choices=Relation.choices)
    requester_name = models.CharField(_("your name"), max_length=120, blank=True)
    requester_phone = models.CharField(_("your phone number"), max_length=20, blank=True)
    requester_email = models.EmailField(_("your email address"), blank=True)
    referring_organisation = models.CharField(_("your organisation"), max_length=120, blank=True)
    contact = models.CharField(
        _("how should we contact you?"), max_length=16, choices=Contact.choices
    )
    ip_hash = models.CharField(max_length=64, db_index=True)
    phone_key = models.CharField(max_length=20, db_index=True)
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.mission_id} · {self.relation}"


class HelpeeMerge(models.Model):
    """A record that two helpees were one person; the removed one's name is kept."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kept = models.ForeignKey(Helpee, on_delete=models.CASCADE, related_name="merges")
    removed_name = models.CharField(max_length=170)
    removed_pk = models.PositiveIntegerField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.removed_name} → {self.kept}"


class CallOutcome(models.TextChoices):
    MISSION = "mission", _("A mission was created")
    LISTENING = "listening", _("Listening, no mission")
    INFORMATION = "information", _("Information only")
    CALLBACK = "callback", _("To be called back")
    HELPER = "helper", _("Put through to their helper")
    BLOCKED = "blocked", _("Blocked caller")
    OTHER = "other", _("Other")


class Call(models.Model):
    """A call on the line: taken by an operator (typed in, or popped by the telephony)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="calls")
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    caller = models.CharField(_("caller's number"), max_length=20, blank=True)
    helpee = models.ForeignKey(
        Helpee, on_delete=models.SET_NULL, null=True, blank=True, related_name="calls"
    )
    language = models.CharField(_("language"), max_length=2, blank=True)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=CallOutcome.choices, blank=True)
    # What the caller chose at the help line's menu (1 help, 2 listening, 3 helpers' line),
    # and when they started waiting for an operator.
    choice = models.CharField(_("choice"), max_length=1, blank=True)
    queued_at = models.DateTimeField(_("waiting since"), null=True, blank=True)
    # The telephony provider's id of the call, so that its webhooks are handled once.
    provider_sid = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["organisation", "ended_at"])]

    def __str__(self) -> str:
        return f"{self.caller or '?'} · {self.started_at:%Y-%m-%d %H:%M}"
