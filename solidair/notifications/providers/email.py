"""Email through Django's mail backends (SMTP in production, the console in the demo)."""

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage

from solidair.notifications.models import Message
from solidair.notifications.providers.base import ProviderError, Undeliverable

SUBJECT_CHARACTERS = 78


def subject_of(message: Message) -> str:
    """The message's subject; for a text written for a phone (most are), its first
    sentence, shortened at a word: an inbox shows it, and spam filters distrust mail
    without one."""
    if message.subject:
        return message.subject
    text = " ".join(message.body.split())
    for end in (". ", "! ", "? "):
        if end in text:
            text = text[: text.index(end) + 1]
    if len(text) <= SUBJECT_CHARACTERS:
        return text
    cut = text[: SUBJECT_CHARACTERS - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


class EmailProvider:
    def send(self, message: Message) -> str:
        email = EmailMessage(
            subject=subject_of(message),
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.address],
            headers={"X-Solidair-Message": message.idempotency_key},
        )
        try:
            email.send()
        except smtplib.SMTPRecipientsRefused as refused:
            raise Undeliverable(str(refused)) from refused
        except (smtplib.SMTPException, OSError) as error:
            raise ProviderError(str(error)) from error
        return f"email-{message.pk}"
