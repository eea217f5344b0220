"""A helper pauses the offers (by text message or on their page) and resumes them. A
paused helper gets no alert and no offer, and sees no mission in their feed: the
matching map reads `Helper.paused`."""

from django.db import transaction

from solidair.matching.services import helper_spot_sync
from solidair.people.models import Helper


def _paused_set(helper: Helper, paused: bool) -> Helper:
    with transaction.atomic():
        helper.paused = paused
        helper.save(update_fields=["paused"])
        helper_spot_sync(helper=helper)
    return helper


def helper_pause(*, helper: Helper) -> Helper:
    return _paused_set(helper, True)


def helper_resume(*, helper: Helper) -> Helper:
    return _paused_set(helper, False)
