"""What Solidair tells people, and when: each message from one gettext text, rendered in
the recipient's language, keyed so that it is sent once.

Called from the services that cause them, inside their transaction."""

import datetime

from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from solidair.missions.models import Mission, Timing
from solidair.notifications.recipients import recipient_for_helpee, recipient_for_user
from solidair.notifications.services import notify
from solidair.people.models import Helper, Organisation, RoleKind, User


def spoken_code(code: str) -> str:
    """ "1 2 3 4": read digit by digit by a voice, and still clear in a text message."""
    return " ".join(code)


def _when(mission: Mission, language: str) -> dict[str, str]:
    with translation.override(language):
        if (
            mission.timing != Timing.WINDOW
            or mission.day is None
            or mission.time_from is None
            or mission.time_to is None
        ):
            return {}
        return {
            "day": formats.date_format(mission.day, "l j F"),
            "start": formats.time_format(mission.time_from, "H:i"),
            "end": formats.time_format(mission.time_to, "H:i"),
        }


def helpee_told_who_comes(mission: Mission) -> None:
    """ "Anna will come on Tuesday between 10:00 and 12:00; she will tell you the code 1234."
    By SMS to a mobile, by a voice call to a landline."""
    assert mission.helper is not None
    recipient = recipient_for_helpee(mission.helpee)
    when = _when(mission, recipient.language)
    params = {
        "name": mission.helper.user.first_name,
        "code": spoken_code(mission.door_code),
        **when,
    }
    body = (
        _(
            "Solidair: %(name)s will come on %(day)s between %(start)s and %(end)s. "
            "They will tell you the code %(code)s."
        )
        if when
        else _(
            "Solidair: %(name)s will come as soon as possible. "
            "They will tell you the code %(code)s."
        )
    )
    notify(
        recipient=recipient,
        key=f"mission:{mission.pk}:assigned:{mission.helper_id}:{mission.door_code}:helpee",
        body=body,
        params=params,
        mission_id=mission.pk,
    )


def cancelled(mission: Mission, helper: Helper | None) -> None:
    """The helpee, and the helper who had it, are told that the mission is cancelled."""
    notify(
        recipient=recipient_for_helpee(mission.helpee),
        key=f"mission:{mission.pk}:cancelled:helpee",
        body=_("Solidair: your request for help (%(theme)s) is cancelled."),
        params={"theme": _theme_name(mission, mission.helpee.language)},
        mission_id=mission.pk,
    )
    if helper is not None:
        recipient = recipient_for_user(helper.user, organisation_id=mission.organisation_id)
        notify(
            recipient=recipient,
            key=f"mission:{mission.pk}:cancelled:helper:{helper.pk}",
            body=_("Solidair: the mission %(theme)s near %(place)s is cancelled. Thank you!"),
            params={
                "theme": _theme_name(mission, recipient.language),
                "place": mission.helpee.city or mission.helpee.postcode,
            },
            mission_id=mission.pk,
        )


def _theme_name(mission: Mission, language: str) -> str:
    with translation.override(language):
        return mission.theme.name


def coordinators_told(
    organisation: Organisation, *, key: str, body, params: dict, mission: Mission | None = None
) -> None:
    for user in User.objects.filter(
        roles__organisation=organisation, roles__kind=RoleKind.COORDINATOR, is_active=True
    ).distinct():
        notify(
            recipient=recipient_for_user(user, organisation_id=organisation.pk),
            key=f"{key}:coordinator:{user.pk}",
            body=body,
            params=params,
            mission_id=mission.pk if mission else None,
        )


def unmatched(mission: Mission) -> None:
    coordinators_told(
        mission.organisation,
        key=f"mission:{mission.pk}:unmatched:{mission.version}",
        body=_(
            "Solidair: mission #%(pk)s (%(postcode)s) found no helper. See missions in trouble."
        ),
        params={"pk": mission.pk, "postcode": mission.helpee.postcode},
        mission=mission,
    )


def not_my_volunteer(mission: Mission, *, by: User) -> None:
    coordinators_told(
        mission.organisation,
        key=f"mission:{mission.pk}:not-my-volunteer:{timezone.now():%Y%m%d%H%M%S}",
        body=_(
            "Solidair ALERT: the helpee of mission #%(pk)s (%(postcode)s) says the person at "
            "the door is not their volunteer. Reported by %(operator)s."
        ),
        params={"pk": mission.pk, "postcode": mission.helpee.postcode, "operator": str(by)},
        mission=mission,
    )


def welfare_concern(concern_pk: int, organisation: Organisation, postcode: str) -> None:
    coordinators_told(
        organisation,
        key=f"concern:{concern_pk}",
        body=_(
            "Solidair: nobody could reach a helpee (%(postcode)s) after three tries. "
            "See welfare concerns."
        ),
        params={"postcode": postcode},
    )


def identity_decided(helper: Helper, *, approved: bool, reason: str = "") -> None:
    recipient = recipient_for_user(helper.user, organisation_id=helper.organisation_id)
    if approved:
        body = _("Solidair: your identity is verified. Thank you! You can now accept missions.")
    else:
        body = _("Solidair: we could not verify your identity: %(reason)s")
    notify(
        recipient=recipient,
        key=f"helper:{helper.pk}:identity:{'approved' if approved else 'refused'}:"
        f"{timezone.now():%Y%m%d%H%M}",
        body=body,
        params=None if approved else {"reason": reason},
    )


def after_mission_call(mission: Mission) -> None:
    """After the mission: press 1 if you received your help, press 2 for an operator."""
    recipient = recipient_for_helpee(mission.helpee)
    notify(
        recipient=recipient,
        key=f"mission:{mission.pk}:feedback:helpee",
        body=_("Hello, this is Solidair. We hope your help came as agreed."),
        purpose="feedback",
        mission_id=mission.pk,
    )


def reminders_due(now: datetime.datetime | None = None) -> int:
    """The helpee the day before, the helper two hours before: each once (their keys)."""
    from solidair.missions.models import State

    now = now or timezone.localtime()
    sent = 0
    tomorrow = now.date() + datetime.timedelta(days=1)
    upcoming = Mission.objects.filter(
        state=State.ASSIGNED, timing=Timing.WINDOW, day__in=[now.date(), tomorrow]
    ).select_related("helpee", "helper__user", "theme")
    for mission in upcoming:
        if mission.day is None or mission.time_from is None:
            continue
        if mission.day == tomorrow and now.hour >= 17:
            recipient = recipient_for_helpee(mission.helpee)
            notify(
                recipient=recipient,
                key=f"mission:{mission.pk}:reminder:helpee:{mission.day}",
                body=_(
                    "Solidair: a reminder. %(name)s will come tomorrow between %(start)s and "
                    "%(end)s, with the code %(code)s."
                ),
                params={
                    "name": mission.helper.user.first_name if mission.helper else "",
                    "code": spoken_code(mission.door_code),
                    **_when(mission, recipient.language),
                },
                mission_id=mission.pk,
            )
            sent += 1
        starts = timezone.make_aware(datetime.datetime.combine(mission.day, mission.time_from))
        if (
            mission.helper
            and mission.day == now.date()
            and now <= starts <= now + datetime.timedelta(hours=2)
        ):
            recipient = recipient_for_user(
                mission.helper.user, organisation_id=mission.organisation_id
            )
            notify(
                recipient=recipient,
                key=f"mission:{mission.pk}:reminder:helper:{mission.day}",
                body=_(
                    "Solidair: your mission %(theme)s starts at %(start)s, %(address)s. "
                    "The code is %(code)s."
                ),
                params={
                    "theme": _theme_name(mission, recipient.language),
                    "start": formats.time_format(mission.time_from, "H:i"),
                    "address": mission.helpee.address_line,
                    "code": mission.door_code,
                },
                mission_id=mission.pk,
            )
            sent += 1
    return sent
