"""Text messages sent to the platform's numbers. A helpee answers "1": they received
their help. A helper sends STOP: offers pause; START: they resume. Anything else gets a
short answer, in the sender's language, saying what they can send.

Handled once per provider id (MessageSid): a retry gets the same answer and changes
nothing."""

import re
import unicodedata
from dataclasses import dataclass
from typing import Protocol, TypeVar

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from solidair.callcentre.services import mission_feedback_by_phone
from solidair.missions.models import Mission, State
from solidair.people.models import Helpee, Helper, Organisation
from solidair.telephony.models import InboundSms, LineNumber, SmsOutcome
from solidair.telephony.pause import helper_pause, helper_resume

CONFIRM = "1"
# Several languages' words; accents, case, spaces and a final full stop do not matter.
# (Twilio answers STOP and START itself on some numbers: see docs/telephony.md.)
PAUSE_WORDS = {"STOP", "STOPP", "ARRET", "HALT", "PAUSE"}
RESUME_WORDS = {"START", "RESUME", "REPRENDRE", "WEITER"}


class _InAnOrganisation(Protocol):
    organisation_id: int


T = TypeVar("T", bound=_InAnOrganisation)


def keyword(body: str) -> str:
    """ "  Arrêt. " → "ARRET"; " 1 ." → "1"."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", body) if not unicodedata.combining(c))
    return re.sub(r"[\s.!,;]+", "", plain).upper()


@dataclass
class Sender:
    helpees: list[Helpee]
    # Every helper with this phone (a couple may share one): STOP stops offers to it.
    helpers: list[Helper]
    dialled: Organisation | None

    @property
    def helper(self) -> Helper | None:
        return self.helpers[0] if self.helpers else None

    @property
    def organisation(self) -> Organisation | None:
        if self.helpees:
            return self.helpees[0].organisation
        if self.helper is not None:
            return self.helper.organisation
        return self.dialled


def _dialled(to: str) -> Organisation | None:
    if not to:
        return None
    found = Organisation.objects.filter(hotline_number=to).order_by("pk").first()
    if found is None:
        number = LineNumber.objects.filter(number=to).select_related("organisation").first()
        found = number.organisation if number else None
    return found


def _theirs(people: list[T], dialled: Organisation | None) -> list[T]:
    """Those of the organisation whose number was texted, when any are: a number known
    in two organisations acts where it wrote."""
    if dialled is None:
        return people
    return [p for p in people if p.organisation_id == dialled.pk] or people


def _sender(number: str, to: str) -> Sender:
    if not number:
        return Sender(helpees=[], helpers=[], dialled=_dialled(to))
    dialled = _dialled(to)
    helpees = list(
        Helpee.objects.filter(phones__number=number)
        .select_related("organisation")
        .distinct()
        .order_by("pk")
    )
    helpers = list(
        Helper.objects.filter(user__phone=number)
        .select_related("user", "organisation")
        .order_by("pk")
    )
    return Sender(
        helpees=_theirs(helpees, dialled), helpers=_theirs(helpers, dialled), dialled=dialled
    )


def _waiting_for_confirmation(helpees: list[Helpee]) -> Mission | None:
    """The helpee's last mission done that they have not confirmed yet."""
    return (
        Mission.objects.filter(
            helpee__in=helpees, state=State.DONE, helpee_confirmed_at__isnull=True
        )
        .order_by("-updated_at", "-pk")
        .first()
    )


def sms_receive(*, sid: str, sender: str, to: str, body: str) -> str:
    """Act on a text message once, and return the answer to send back."""
    word = keyword(body)
    who = _sender(sender, to)
    with transaction.atomic():
        try:
            with transaction.atomic():
                received = InboundSms.objects.create(
                    provider_sid=sid,
                    organisation=who.organisation,
                    sender=sender[:20],
                    body=body[:1600],
                    outcome=SmsOutcome.UNKNOWN,
                )
        except IntegrityError:  # the provider retried: the same answer, nothing done
            again = InboundSms.objects.get(provider_sid=sid)
            return _answer(SmsOutcome(again.outcome), keyword(again.body), who)
        outcome = _act(word, who)
        if outcome != SmsOutcome.UNKNOWN:
            InboundSms.objects.filter(pk=received.pk).update(outcome=outcome)
    return _answer(outcome, word, who)


def _act(word: str, who: Sender) -> SmsOutcome:
    if word == CONFIRM and who.helpees:
        mission = _waiting_for_confirmation(who.helpees)
        if mission is not None:
            mission_feedback_by_phone(mission_id=mission.pk, received=True)
            return SmsOutcome.CONFIRMED
    if who.helpers and word in PAUSE_WORDS:
        for helper in who.helpers:
            helper_pause(helper=helper)
        return SmsOutcome.PAUSED
    if who.helpers and word in RESUME_WORDS:
        for helper in who.helpers:
            helper_resume(helper=helper)
        return SmsOutcome.RESUMED
    return SmsOutcome.UNKNOWN


def _hotline(organisation: Organisation | None) -> str:
    return organisation.hotline_display if organisation else ""


def _answer(outcome: SmsOutcome, word: str, who: Sender) -> str:
    """What the sender reads, in their language."""
    if who.helpees and (outcome == SmsOutcome.CONFIRMED or word == CONFIRM or not who.helper):
        return _helpee_answer(outcome, word, who.helpees[0])
    if who.helper is not None:
        return _helper_answer(outcome, who.helper)
    return _stranger_answer(who.dialled)


def _helpee_answer(outcome: SmsOutcome, word: str, helpee: Helpee) -> str:
    hotline = _hotline(helpee.organisation)
    with translation.override(helpee.language):
        if outcome == SmsOutcome.CONFIRMED:
            return _("Solidair: thank you! We are glad you received your help.")
        if word == CONFIRM:
            text = _("Solidair: thank you. Nothing is waiting for your answer.")
        else:
            text = _(
                "Solidair: answer 1 to tell us you received your help. "
                "We cannot read other messages."
            )
        if hotline:
            text += " " + _("To speak to someone, call %(number)s.") % {"number": hotline}
        return text


def _helper_answer(outcome: SmsOutcome, helper: Helper) -> str:
    with translation.override(helper.user.language):
        if outcome == SmsOutcome.PAUSED:
            return _(
                "Solidair: your offers are paused; we will send you none. "
                "Send START to receive them again."
            )
        if outcome == SmsOutcome.RESUMED:
            return _("Solidair: your offers are back on. Send STOP to pause them.")
        return _("Solidair: send STOP to pause your offers, or START to receive them again.")


def _stranger_answer(dialled: Organisation | None) -> str:
    language = dialled.languages[0] if dialled else settings.LANGUAGE_CODE[:2]
    hotline = _hotline(dialled)
    with translation.override(language):
        text = _("Solidair cannot read messages sent to this number.")
        if hotline:
            text += " " + _("To ask for help, call %(number)s.") % {"number": hotline}
        return text
