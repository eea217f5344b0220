"""Email through Django's mail backends (SMTP in production, the console in the demo)."""

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage

from solidair.notifications.models import Message
from solidair.notifications.providers.base import ProviderError, Undeliverable


class EmailProvider:
    def send(self, message: Message) -> str:
        email = EmailMessage(
            subject=message.subject,
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
