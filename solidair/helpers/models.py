"""What a helper does beyond their profile (people.Helper): the identity check, the
missions they set aside, their reports and feedback."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidair.helpers.storage import get_private_storage, identity_path, receipt_path
from solidair.missions.models import Mission, Payback
from solidair.people.models import Helper


class DocumentType(models.TextChoices):
    ID_CARD = "id_card", _("Identity card")
    PASSPORT = "passport", _("Passport")
    RESIDENCE = "residence", _("Residence card")


class Outcome(models.TextChoices):
    PENDING = "pending", _("Waiting for a moderator")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class IdentityDocument(models.Model):
    """One identity check. The images go once it is decided (or after a week); the
    national number and the machine-readable zone are checked at upload, never kept."""

    helper = models.ForeignKey(Helper, on_delete=models.CASCADE, related_name="documents")
    document_type = models.CharField(_("document"), max_length=10, choices=DocumentType.choices)
    expires_on = models.DateField(_("valid until"))
    front = models.FileField(
        _("front"), storage=get_private_storage, upload_to=identity_path, blank=True
    )
    back = models.FileField(
        _("back"), storage=get_private_storage, upload_to=identity_path, blank=True
    )
    # Which check digits were verified at upload (the numbers themselves are not kept).
    mrz_checked = models.BooleanField(_("machine-readable zone checked"), default=False)
    national_number_checked = models.BooleanField(_("national number checked"), default=False)
    uploaded_at = models.DateTimeField(_("uploaded on"), default=timezone.now)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING
    )
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)
    images_deleted_at = models.DateTimeField(_("images deleted on"), null=True, blank=True)

    class Meta:
        verbose_name = _("identity document")
        verbose_name_plural = _("identity documents")
        ordering = ["uploaded_at", "pk"]
        indexes = [models.Index(fields=["outcome", "uploaded_at"])]

    def __str__(self) -> str:
        return f"{self.helper} · {self.get_document_type_display()} · {self.get_outcome_display()}"

    @property
    def has_images(self) -> bool:
        return bool(self.front or self.back)


class IdentityImageView(models.Model):
    """Who looked at a helper's identity images, when, and on which page."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    helper = models.ForeignKey(Helper, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(_("when"), default=timezone.now)
    page = models.CharField(_("page"), max_length=200)

    class Meta:
        verbose_name = _("identity image view")
        verbose_name_plural = _("identity image views")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} · {self.helper_id} · {self.page}"


class Dismissal(models.Model):
    """“Not for me”: the mission leaves this helper's feed."""

    helper = models.ForeignKey(Helper, on_delete=models.CASCADE, related_name="dismissals")
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("mission set aside")
        verbose_name_plural = _("missions set aside")
        constraints = [models.UniqueConstraint(fields=["helper", "mission"], name="one_dismissal")]

    def __str__(self) -> str:
        return f"{self.helper_id} · {self.mission_id}"


class MissionReport(models.Model):
    """What the helper reports when done: for groceries, the money. The operators and
    coordinators of the organisation see it on the mission's page; nobody else."""

    mission = models.OneToOneField(Mission, on_delete=models.CASCADE, related_name="report")
    helper = models.ForeignKey(Helper, on_delete=models.PROTECT, related_name="reports")
    amount_spent = models.DecimalField(
        _("amount spent (€)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    receipt = models.FileField(
        _("photo of the receipt"), storage=get_private_storage, upload_to=receipt_path, blank=True
    )
    payback = models.CharField(
        _("how the helpee paid back"), max_length=10, choices=Payback.choices, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The photo goes after HELPERS_RECEIPT_KEEP_DAYS; the amount and payback stay.
    receipt_deleted_at = models.DateTimeField(_("receipt deleted on"), null=True, blank=True)

    class Meta:
        verbose_name = _("mission report")
        verbose_name_plural = _("mission reports")

    def __str__(self) -> str:
        return f"{self.mission_id} · {self.amount_spent or ''}"


class MissionFeedback(models.Model):
    """How it went, from the helper's side."""

    mission = models.OneToOneField(
        Mission, on_delete=models.CASCADE, related_name="helper_feedback"
    )
    helper = models.ForeignKey(Helper, on_delete=models.PROTECT, related_name="feedback")
    rating = models.PositiveSmallIntegerField(
        _("how did it go?"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("anything the team should know?"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("helper's feedback")
        verbose_name_plural = _("helpers' feedback")

    def __str__(self) -> str:
        return f"{self.mission_id} · {self.rating}"
