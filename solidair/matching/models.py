"""Matching's own tables: where helpers and published missions are, denormalised into
indexed grid cells (see geo.py), how each organisation dispatches, and the offers."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidair.missions.models import Mission, Theme
from solidair.people.models import Helper, Organisation

# Every column a ranking reads, in one index: both databases answer from the index
# alone, in cell order, without visiting the table.
HELPER_SEARCH_COLUMNS = [
    "organisation",
    "cell_x",
    "cell_y",
    "verified",
    "paused",
    "language_mask",
    "theme_mask",
    "week_mask",
    "available_now",
    "load_week",
    "load_count",
    "max_per_week",
    "alerts_day",
    "alerts_today",
    "latitude",
    "longitude",
    "radius_km",
    "reliability",
    "last_assigned_at",
    "helper",
]
MISSION_SEARCH_COLUMNS = [
    "organisation",
    "needs_proximity",
    "cell_x",
    "cell_y",
    "theme",
    "language_mask",
    "when_day",
    "latitude",
    "longitude",
    "reach_km",
    "urgent",
    "mission",
]


class HelperSpot(models.Model):
    """One helper, as matching searches them. Written only by helper_spot_sync."""

    helper = models.OneToOneField(Helper, on_delete=models.CASCADE, related_name="spot")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    cell_x = models.IntegerField()
    cell_y = models.IntegerField()
    latitude = models.FloatField()
    longitude = models.FloatField()
    radius_km = models.PositiveSmallIntegerField()
    language_mask = models.PositiveIntegerField()
    theme_mask = models.BigIntegerField()
    theme_ids = models.CharField(max_length=400, blank=True)
    verified = models.BooleanField()
    paused = models.BooleanField(default=False)
    available_now = models.BooleanField()
    week_mask = models.PositiveIntegerField()
    max_per_week = models.PositiveSmallIntegerField()
    # Missions taken in ISO week `load_week` (e.g. 202648); another week means none yet.
    load_week = models.PositiveIntegerField(default=0)
    load_count = models.PositiveSmallIntegerField(default=0)
    reliability = models.FloatField(default=1.0)
    last_assigned_at = models.DateTimeField(null=True, blank=True)
    joined_at = models.DateTimeField(default=timezone.now)
    # Offers sent on `alerts_day`; another day means none yet.
    alerts_day = models.DateField(null=True, blank=True)
    alerts_today = models.PositiveSmallIntegerField(default=0)
    last_alerted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("helper on the map")
        verbose_name_plural = _("helpers on the map")
        indexes = [models.Index(fields=HELPER_SEARCH_COLUMNS, name="helperspot_search")]

    def __str__(self) -> str:
        return f"helper {self.helper_id} @ {self.cell_x},{self.cell_y}"


class MissionSpot(models.Model):
    """One published mission, as matching searches it: no name, address or phone.
    Exists while the mission is published; written only by mission_spot_sync."""

    mission = models.OneToOneField(Mission, on_delete=models.CASCADE, related_name="spot")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    cell_x = models.IntegerField()
    cell_y = models.IntegerField()
    latitude = models.FloatField()
    longitude = models.FloatField()
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="+")
    language_mask = models.PositiveIntegerField()
    needs_proximity = models.BooleanField()
    reach_km = models.PositiveSmallIntegerField()
    asap = models.BooleanField()
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    # The day it is for (the day it was published, for "as soon as possible"), as an
    # ordinal: the feed's first sort key.
    when_day = models.IntegerField()
    week_mask = models.PositiveIntegerField()
    urgent = models.BooleanField(default=False)
    recurring = models.BooleanField(default=False)
    postcode = models.CharField(max_length=10)
    locality = models.CharField(max_length=120, blank=True)
    summary = models.CharField(max_length=160, blank=True)
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("mission on the map")
        verbose_name_plural = _("missions on the map")
        indexes = [
            models.Index(fields=MISSION_SEARCH_COLUMNS, name="missionspot_search"),
            models.Index(
                fields=["organisation", "needs_proximity", "when_day", "mission", "theme"],
                name="missionspot_by_day",
            ),
        ]

    def __str__(self) -> str:
        return f"mission {self.mission_id} @ {self.cell_x},{self.cell_y}"


class DispatchPolicy(models.Model):
    """How an organisation offers its missions: the default applies without a row."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="dispatch_policy"
    )
    wave_size = models.PositiveSmallIntegerField(
        _("helpers per wave"), default=3, help_text=_("How many helpers each wave alerts.")
    )
    wait_minutes = models.PositiveSmallIntegerField(
        _("minutes between waves"), default=10, help_text=_("How long a wave has to answer.")
    )
    waves = models.PositiveSmallIntegerField(
        _("waves"),
        default=4,
        help_text=_("After the last wave without a helper, the mission is unmatched."),
    )
    first_radius_km = models.PositiveSmallIntegerField(
        _("first wave's radius (km)"),
        default=3,
        help_text=_("Each wave doubles it, up to the theme's reach."),
    )
    alerts_per_day = models.PositiveSmallIntegerField(
        _("alerts per helper per day, at most"),
        default=4,
        help_text=_("So that the same closest helper is not alerted every time."),
    )

    class Meta:
        verbose_name = _("dispatch policy")
        verbose_name_plural = _("dispatch policies")

    def __str__(self) -> str:
        return str(self.organisation)


class Dispatch(models.Model):
    """Where the waves of one mission are: the last wave sent and when the next is due.

    Each time the mission is published again (given back by its helper, or published
    after being unmatched) a new round of waves starts, which may ask earlier helpers
    again."""

    mission = models.OneToOneField(Mission, on_delete=models.CASCADE, related_name="dispatch")
    round = models.PositiveSmallIntegerField(default=1)
    wave = models.PositiveSmallIntegerField(default=0)
    next_wave_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("dispatch")
        verbose_name_plural = _("dispatches")
        indexes = [models.Index(fields=["finished_at", "next_wave_at"])]

    def __str__(self) -> str:
        return f"mission {self.mission_id}, round {self.round}, wave {self.wave}"


class OfferStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Not for me")
    EXPIRED = "expired", _("Expired")
    # The helper took the mission, then gave it back (or did not come): never asked
    # again for this mission.
    RELEASED = "released", _("Given back")


class Offer(models.Model):
    """A mission offered to one helper in a dispatch wave: at most once per round.

    Wave 0 is no wave: the helper answered from the feed without being offered it
    ("not for me", or took it)."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="offers")
    helper = models.ForeignKey(Helper, on_delete=models.CASCADE, related_name="offers")
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    wave = models.PositiveSmallIntegerField(_("wave"))
    distance_km = models.FloatField(_("distance (km)"))
    status = models.CharField(
        _("status"), max_length=10, choices=OfferStatus.choices, default=OfferStatus.PENDING
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["mission", "round", "wave", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "helper", "round"], name="one_offer_per_helper_per_round"
            )
        ]
        indexes = [models.Index(fields=["helper", "status"])]

    def __str__(self) -> str:
        return (
            f"mission {self.mission_id} → helper {self.helper_id} "
            f"(round {self.round}, wave {self.wave})"
        )
