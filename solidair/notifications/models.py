"""The outbox (Message), what the console provider 'sent', push subscriptions, and the
two tables that let workers share periodic jobs and notice a dead colleague."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidair.languages import Language


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    VOICE = "voice", _("Voice call")
    PUSH = "push", _("Push notification")


class Status(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")
    UNDELIVERABLE = "undeliverable", _("Cannot be delivered")


# A status only moves to a higher rank: callbacks arriving twice or late change nothing.
RANK = {
    Status.QUEUED: 0,
    Status.SENDING: 1,
    Status.SENT: 2,
    Status.DELIVERED: 3,
    Status.FAILED: 3,
    Status.UNDELIVERABLE: 3,
}


def statuses_below(status: str) -> list[str]:
    return [s for s, rank in RANK.items() if rank < RANK[Status(status)]]


class PushSubscription(models.Model):
    """One browser on one device that agreed to receive a user's notifications."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(_("push service address"), max_length=500, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} · {self.user_agent[:40]}"

    def as_subscription_info(self) -> dict:
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class Message(models.Model):
    """One text to one address on one channel: sent at most once (idempotency_key),
    tried again with back-off, and followed by the provider's delivery reports."""

    idempotency_key = models.CharField(max_length=255, unique=True)
    # What the message is for, when a reply means something ("feedback": press 1 or 2).
    purpose = models.CharField(max_length=20, blank=True)
    mission = models.ForeignKey(
        "missions.Mission", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    helpee = models.ForeignKey(
        "people.Helpee",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("helpee"),
    )
    push_subscription = models.ForeignKey(
        PushSubscription, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("address"), max_length=500)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    # The routes still to try, in order, if this one cannot be delivered.
    fallbacks = models.JSONField(default=list, blank=True)
    fallback_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.QUEUED
    )
    tries = models.PositiveSmallIntegerField(_("tries"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    provider_message_id = models.CharField(max_length=64, blank=True, db_index=True)
    claimed_by = models.CharField(max_length=64, blank=True)  # the worker sending it
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "updated_at"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.address} ({self.get_status_display()})"


class ConsoleRecord(models.Model):
    """What the console provider would have handed to a real one, for a demo visitor."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="console_records")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("address"), max_length=500)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    content = models.TextField(_("what was sent"))
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("console record")
        verbose_name_plural = _("console records")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.channel} → {self.address}"


class PeriodicJob(models.Model):
    """A job from settings.PERIODIC_JOBS, enqueued by whichever worker claims it first."""

    name = models.CharField(max_length=100, unique=True)
    task_path = models.CharField(max_length=200)
    every_seconds = models.PositiveIntegerField()
    next_run_at = models.DateTimeField(default=timezone.now)
    last_run_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WorkerHeartbeat(models.Model):
    """A running `solidair worker`, seen at `seen_at`. Silent too long: it died."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=200)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return self.worker_id


class QuietHours(models.Model):
    """When a helper does not want to be disturbed; offers and reminders wait."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiet_hours"
    )
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("quiet hours")
        verbose_name_plural = _("quiet hours")

    def __str__(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"

    def remaining(self, now: datetime.datetime) -> datetime.timedelta | None:
        """Time left in the quiet hours at `now` (local, aware), or None outside them.
        The end is a wall-clock time on its own day, so the night the clocks change
        lasts an hour more or less, as it does for the helper."""
        zone = now.tzinfo
        local = now.replace(tzinfo=None)

        def at(day: datetime.date, moment: datetime.time) -> datetime.datetime:
            naive = datetime.datetime.combine(day, moment)
            return timezone.make_aware(naive, zone) if zone is not None else naive

        clock = local.time()
        if self.start <= self.end:  # e.g. 13:00–15:00
            inside = self.start <= clock < self.end
            return _elapsed(now, at(local.date(), self.end)) if inside else None
        # across midnight, e.g. 21:00–08:00
        if clock >= self.start:
            return _elapsed(now, at(local.date() + datetime.timedelta(days=1), self.end))
        if clock < self.end:
            return _elapsed(now, at(local.date(), self.end))
        return None


def _elapsed(start: datetime.datetime, end: datetime.datetime) -> datetime.timedelta:
    """Real time between two moments (Python subtracts wall clocks in the same zone)."""
    if start.tzinfo is None or end.tzinfo is None:
        return end - start
    return end.astimezone(datetime.UTC) - start.astimezone(datetime.UTC)


class ReserveWake(models.Model):
    """A coordinator woke the verified helpers of an area: who, when, where, how many."""

    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    postcode = models.CharField(_("postcode"), max_length=10)
    radius_km = models.PositiveSmallIntegerField(_("radius (km)"))
    count = models.PositiveIntegerField(_("helpers woken"))
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.postcode} +{self.radius_km} km · {self.count}"
