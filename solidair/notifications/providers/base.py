"""What every provider promises, and which provider carries which channel."""

from typing import Protocol

from django.conf import settings

from solidair.notifications.models import Channel, Message


class ProviderError(Exception):
    """The provider could not take the message now (down, 5xx, timeout): try again later."""


class Refused(Exception):
    """The provider refused the message for good (bad credentials, bad request)."""


class Undeliverable(Exception):
    """This address cannot receive on this channel (a landline for SMS, an expired push
    subscription): use the recipient's fallback."""


class Provider(Protocol):
    def send(self, message: Message) -> str:
        """Hand `message` over; return the provider's id for it. Raises one of the above."""
        ...


def provider_for(channel: str) -> Provider:
    # Imported here: each provider pulls in its own library.
    if channel == Channel.EMAIL:
        from solidair.notifications.providers.email import EmailProvider

        return EmailProvider()
    if channel == Channel.PUSH and settings.VAPID_PRIVATE_KEY:
        from solidair.notifications.providers.webpush import WebPushProvider

        return WebPushProvider()
    if channel in (Channel.SMS, Channel.VOICE) and settings.NOTIFICATIONS_PROVIDER == "twilio":
        from solidair.notifications.providers.twilio import TwilioProvider

        return TwilioProvider()
    from solidair.notifications.providers.console import ConsoleProvider

    return ConsoleProvider()
