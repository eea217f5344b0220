"""Who a message goes to and by which routes, best first: push, then SMS, then a voice
call (the only route to a landline), then email."""

from dataclasses import dataclass, field

import phonenumbers

from solidair.notifications.models import Channel, PushSubscription
from solidair.people.models import Helpee, PhoneKind, User

SMS_CAPABLE = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


@dataclass(frozen=True)
class Route:
    channel: str
    address: str
    push_subscription_id: int | None = None


@dataclass(frozen=True)
class Recipient:
    language: str
    routes: tuple[Route, ...]
    organisation_id: int | None = None
    user_id: int | None = None
    helpee_id: int | None = None
    name: str = field(default="", compare=False, repr=False)  # never in a log line


def can_receive_sms(e164: str) -> bool:
    try:
        return phonenumbers.number_type(phonenumbers.parse(e164)) in SMS_CAPABLE
    except phonenumbers.NumberParseException:
        return False


def phone_routes(e164: str, *, landline: bool = False) -> list[Route]:
    if landline or not can_receive_sms(e164):
        return [Route(Channel.VOICE, e164)]
    return [Route(Channel.SMS, e164), Route(Channel.VOICE, e164)]


def _unique(routes: list[Route]) -> tuple[Route, ...]:
    return tuple(dict.fromkeys(routes))


def recipient_for_user(user: User, *, organisation_id: int | None = None) -> Recipient:
    push = [
        Route(Channel.PUSH, s.endpoint, s.pk)
        for s in PushSubscription.objects.filter(user=user).order_by("-created_at", "-pk")
    ]
    phone = phone_routes(user.phone) if user.phone else []
    return Recipient(
        language=user.language,
        routes=_unique([*push, *phone, Route(Channel.EMAIL, user.email)]),
        organisation_id=organisation_id,
        user_id=user.pk,
        name=str(user),
    )


def recipient_for_helpee(helpee: Helpee) -> Recipient:
    routes: list[Route] = []
    for phone in helpee.phones.all():
        routes += phone_routes(phone.number, landline=phone.kind == PhoneKind.LANDLINE)
    return Recipient(
        language=helpee.language,
        routes=_unique(routes),
        organisation_id=helpee.organisation_id,
        helpee_id=helpee.pk,
        name=helpee.full_name,
    )
