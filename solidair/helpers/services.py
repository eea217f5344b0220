"""Writes about helpers: joining, the identity check, and their part of a mission.

Mission state changes go through solidair.missions.services; here we add what belongs
to the helper (reports, feedback, reliability counters) in the same transaction."""

import datetime
import logging
import os
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from solidair.helpers.models import (
    Dismissal,
    IdentityDocument,
    IdentityImageView,
    MissionFeedback,
    MissionReport,
    Outcome,
)
from solidair.helpers.selectors import receipt_keep_days
from solidair.helpers.storage import private_storage
from solidair.matching import selectors as matching_selectors
from solidair.matching.services import (
    MatchingError,
    helper_spot_sync,
    mission_decline,
    missions_this_week,
)
from solidair.missions import services as missions
from solidair.missions.models import Mission, State
from solidair.missions.services import MissionError
from solidair.notifications import messages
from solidair.people.models import Helper, Organisation, Role, RoleKind, User, Verification
from solidair.people.selectors import has_role

logger = logging.getLogger(__name__)


@dataclass
class HelperProfile:
    postcode: str
    latitude: float
    longitude: float
    street: str = ""
    house_number: str = ""
    city: str = ""
    radius_km: int = 3
    languages: list[str] = field(default_factory=list)
    availability: dict[str, list[str]] = field(default_factory=dict)
    available_now: bool = False
    transport: str = ""
    dogs_ok: bool = False
    max_missions_per_week: int = 3


def helper_sign_up(
    *,
    organisation: Organisation,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    phone: str,
    language: str,
    profile: HelperProfile,
    theme_ids: list[int],
) -> Helper:
    """A new volunteer: an account that logs in by email, the helper role, and a profile
    waiting for the identity check. Accepting the code of conduct is part of joining."""
    with transaction.atomic():
        user = User.objects.create_user(
            email,
            password,
            first_name=first_name,
            last_name=last_name,
            phone=phone,
            language=language,
        )
        Role.objects.create(user=user, organisation=organisation, kind=RoleKind.HELPER)
        helper = Helper.objects.create(
            user=user,
            organisation=organisation,
            verification=Verification.PENDING,
            conduct_accepted_at=timezone.now(),
            **profile.__dict__,
        )
        helper.themes.set(theme_ids)
        helper_spot_sync(helper=helper)
    return helper


def helper_availability_set(
    *, helper: Helper, availability: dict[str, list[str]], available_now: bool
) -> Helper:
    helper.availability = availability
    helper.available_now = available_now
    helper.save(update_fields=["availability", "available_now"])
    helper_spot_sync(helper=helper)
    return helper


# The identity check


def identity_submit(
    *,
    helper: Helper,
    document_type: str,
    expires_on: datetime.date,
    front: UploadedFile,
    back: UploadedFile | None,
    mrz_checked: bool,
    national_number_checked: bool,
) -> IdentityDocument:
    """Store the photos for a moderator. The caller has verified the check digits; the
    numbers themselves are not passed here, so that they cannot be stored."""
    with transaction.atomic():
        # One document waiting at a time, even when the form is sent twice at once.
        Helper.objects.select_for_update().filter(pk=helper.pk).first()
        if helper.documents.filter(outcome=Outcome.PENDING).exists():
            raise PermissionDenied(_("Your document is already waiting for a moderator."))
        document = IdentityDocument(
            helper=helper,
            document_type=document_type,
            expires_on=expires_on,
            mrz_checked=mrz_checked,
            national_number_checked=national_number_checked,
        )
        document.front.save(front.name or "front", front, save=False)
        if back:
            document.back.save(back.name or "back", back, save=False)
        document.save()
        Helper.objects.filter(pk=helper.pk).update(verification=Verification.PENDING)
    return document


class IdentityError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def can_review(user: User, organisation_id: int) -> bool:
    return has_role(user, organisation_id, RoleKind.MODERATOR)


def identity_decide(
    *, document: IdentityDocument, by: User, approve: bool, reason: str = ""
) -> IdentityDocument:
    """A moderator approves or rejects; the images are deleted straight away.

    Exactly one decision counts when two moderators press at once."""
    helper = document.helper
    if not can_review(by, helper.organisation_id):
        raise PermissionDenied
    if approve and not document.has_images:
        raise IdentityError(
            _("The photos of this document are gone: it cannot be approved without them.")
        )
    now = timezone.now()
    outcome = Outcome.APPROVED if approve else Outcome.REJECTED
    with transaction.atomic():
        decided = IdentityDocument.objects.filter(pk=document.pk, outcome=Outcome.PENDING).update(
            outcome=outcome, reason=reason, decided_by=by, decided_at=now
        )
        if not decided:
            raise IdentityError(_("Another moderator has already decided on this document."))
        if approve:
            Helper.objects.filter(pk=helper.pk).update(
                verification=Verification.APPROVED, verified_at=now
            )
        else:
            Helper.objects.filter(pk=helper.pk).update(
                verification=Verification.REJECTED, verified_at=None
            )
        helper.refresh_from_db()
        helper_spot_sync(helper=helper)
        messages.identity_decided(helper, approved=approve, reason=reason)
    document.refresh_from_db()
    identity_images_delete(document=document)
    return document


def identity_images_delete(*, document: IdentityDocument) -> None:
    for image in (document.front, document.back):
        if image:
            private_storage.delete(image.name)
    IdentityDocument.objects.filter(pk=document.pk).update(
        front="", back="", images_deleted_at=timezone.now()
    )
    document.refresh_from_db()


def identity_images_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete every identity image older than HELPERS_IDENTITY_KEEP_DAYS, decided or not,
    and any stray file left in the identity folder (an upload cut short)."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(days=settings.HELPERS_IDENTITY_KEEP_DAYS)
    count = 0
    old = IdentityDocument.objects.filter(uploaded_at__lt=limit, images_deleted_at__isnull=True)
    for document in old.select_related("helper__user"):
        identity_images_delete(document=document)
        if document.outcome == Outcome.PENDING:
            _identity_expire(document, now)
        count += 1
    folder = Path(private_storage.path("identity"))
    kept = {
        name
        for pair in IdentityDocument.objects.filter(images_deleted_at__isnull=True).values_list(
            "front", "back"
        )
        for name in pair
        if name
    }
    if folder.is_dir():
        for path in folder.iterdir():
            name = f"identity/{path.name}"
            too_old = path.stat().st_mtime < limit.timestamp()
            if path.is_file() and too_old and name not in kept:
                os.remove(path)
                count += 1
    return count


def _identity_expire(document: IdentityDocument, now: datetime.datetime) -> None:
    """No moderator decided in time: without its photos the document can no longer be
    checked, so it is refused with the reason, and the helper asked to send it again
    (the identity page offers the form once more)."""
    helper = document.helper
    with translation.override(helper.user.language or settings.LANGUAGE_CODE):
        reason = _(
            "no moderator could check your document within %(days)s days, and its photos "
            "are deleted. Please send it again."
        ) % {"days": settings.HELPERS_IDENTITY_KEEP_DAYS}
    with transaction.atomic():
        expired = IdentityDocument.objects.filter(pk=document.pk, outcome=Outcome.PENDING).update(
            outcome=Outcome.REJECTED, reason=reason, decided_at=now
        )
        if not expired:
            return  # a moderator decided at this very moment
        Helper.objects.filter(pk=helper.pk, verification=Verification.PENDING).update(
            verification=Verification.REJECTED, verified_at=None
        )
        helper.refresh_from_db()
        helper_spot_sync(helper=helper)
        messages.identity_decided(helper, approved=False, reason=reason)


def receipts_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete the photos of receipts older than HELPERS_RECEIPT_KEEP_DAYS after the
    mission was done (time enough to settle any question about the money), and any
    stray file in the receipts folder that old. The amount and payback stay."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(days=receipt_keep_days())
    count = 0
    old = MissionReport.objects.filter(created_at__lt=limit).exclude(receipt="")
    for report in old:
        private_storage.delete(report.receipt.name)
        MissionReport.objects.filter(pk=report.pk).update(receipt="", receipt_deleted_at=now)
        count += 1
    folder = Path(private_storage.path("receipts"))
    kept = set(MissionReport.objects.exclude(receipt="").values_list("receipt", flat=True))
    if folder.is_dir():
        for path in folder.iterdir():
            too_old = path.stat().st_mtime < limit.timestamp()
            if path.is_file() and too_old and f"receipts/{path.name}" not in kept:
                os.remove(path)
                count += 1
    return count


def identity_image_view_record(*, user: User, helper: Helper, page: str) -> None:
    IdentityImageView.objects.create(user=user, helper=helper, page=page[:200])


# The helper's part of a mission


def _refusal(mission: Mission, helper: Helper) -> str:
    """Why accepting failed, as the helper should hear it."""
    mission.refresh_from_db()
    if mission.state == State.CANCELLED:
        return _("This mission was cancelled: it can no longer be taken.")
    if mission.helper_id is not None and mission.helper_id != helper.pk:
        return _("Another helper was faster. Thank you all the same!")
    return _("This mission can no longer be taken.")


class WeeklyMaximumReached(MissionError):
    """The helper has as many missions this week as they said they would take."""


def mission_accept(*, mission: Mission, helper: Helper) -> Mission:
    """The helper takes a mission from their feed. Exactly one helper wins; the others
    are told, in their language, that another helper was faster. A helper at their
    weekly maximum is refused, even pressing twice at once."""
    if not helper.is_verified:
        raise MissionError(
            _(
                "Your identity has not been checked yet: you can accept missions as soon as "
                "a moderator has verified it."
            )
        )
    if mission.organisation_id != helper.organisation_id:
        raise MissionError(_("This mission can no longer be taken."))
    if mission.state not in (State.PUBLISHED, State.UNMATCHED) or mission.helper_id:
        raise MissionError(_refusal(mission, helper))
    why = matching_selectors.unfit(helper=helper, mission=mission)
    if why is not None and why.paused:
        raise MissionError(
            _("Your offers are paused: resume them on your page to accept missions.")
        )
    if why is not None and why.given_back:
        raise MissionError(_("You gave this mission back: it is being offered to other helpers."))
    if why is not None:
        raise MissionError(
            _(
                "This mission is not one of yours: it is beyond your distance, or in a "
                "theme or language you did not choose."
            )
        )
    try:
        with transaction.atomic():
            # One accept at a time per helper, so that two at once count each other.
            locked = Helper.objects.select_for_update().get(pk=helper.pk)
            if missions_this_week(helper=locked) >= locked.max_missions_per_week:
                most = locked.max_missions_per_week
                raise WeeklyMaximumReached(
                    ngettext(
                        "You have already taken %(count)s mission this week, the most you "
                        "chose: you can accept another one next week.",
                        "You have already taken %(count)s missions this week, the most you "
                        "chose: you can accept another one next week.",
                        most,
                    )
                    % {"count": most}
                )
            return missions.mission_assign(mission=mission, helper=helper, by=helper.user)
    except WeeklyMaximumReached:
        raise
    except MissionError:
        raise MissionError(_refusal(mission, helper)) from None


def mission_dismiss(*, mission: Mission, helper: Helper) -> None:
    """“Not for me”: the mission leaves this helper's feed (and nobody else's)."""
    try:
        with transaction.atomic():
            Dismissal.objects.get_or_create(helper=helper, mission=mission)
    except IntegrityError:
        pass  # pressed twice at once: it is set aside already
    try:
        mission_decline(mission=mission, helper=helper)  # its offer, if any, is declined
    except MatchingError:
        pass


def mission_done(
    *,
    mission: Mission,
    helper: Helper,
    amount_spent: Decimal | None = None,
    receipt: UploadedFile | None = None,
    payback: str = "",
) -> Mission:
    """The helper reports the mission done, with the money for groceries."""
    with transaction.atomic():
        mission = missions.mission_complete(mission=mission, by=helper.user)
        report = MissionReport(
            mission=mission, helper=helper, amount_spent=amount_spent, payback=payback
        )
        if receipt:
            report.receipt.save(receipt.name or "receipt", receipt, save=False)
        report.save()
        Helper.objects.filter(pk=helper.pk).update(missions_done=F("missions_done") + 1)
        helper.refresh_from_db()
        helper_spot_sync(helper=helper)
    return mission


def mission_give_back(*, mission: Mission, helper: Helper, reason: str) -> Mission:
    """“I can't make it”: back to published and offered again to others (see
    matching's rounds), and counted in the helper's reliability."""
    if mission.helper_id != helper.pk:
        raise MissionError(_("You are not allowed to do this for this mission."))
    with transaction.atomic():
        mission = missions.mission_release(mission=mission, by=helper.user, reason=reason)
        # Its card does not come back to their feed, as no wave will offer it to them.
        Dismissal.objects.get_or_create(helper=helper, mission=mission)
        Helper.objects.filter(pk=helper.pk).update(missions_released=F("missions_released") + 1)
        helper.refresh_from_db()
        helper_spot_sync(helper=helper)
    return mission


def mission_feedback_record(
    *, mission: Mission, helper: Helper, rating: int, comment: str = ""
) -> MissionFeedback:
    if mission.helper_id != helper.pk or mission.state != State.DONE:
        raise MissionError(_("Feedback can be given once the mission is done."))
    feedback, _created = MissionFeedback.objects.update_or_create(
        mission=mission, defaults={"helper": helper, "rating": rating, "comment": comment}
    )
    return feedback
