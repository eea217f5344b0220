"""The demo's and the tests' provider: records what a real one would have received."""

import json
import time

from django.conf import settings

from solidair.notifications.models import Channel, ConsoleRecord, Message
from solidair.notifications.providers.voice import sms_text, voice_twiml


def content_of(message: Message) -> str:
    if message.channel == Channel.VOICE:
        return voice_twiml(message)
    if message.channel == Channel.PUSH:
        return json.dumps({"title": message.subject, "body": message.body}, ensure_ascii=False)
    if message.channel == Channel.SMS:
        return sms_text(message)
    return message.body


class ConsoleProvider:
    def send(self, message: Message) -> str:
        if settings.NOTIFICATIONS_CONSOLE_DELAY_MS:
            time.sleep(settings.NOTIFICATIONS_CONSOLE_DELAY_MS / 1000)
        record = ConsoleRecord.objects.create(
            message=message,
            channel=message.channel,
            address=message.address,
            language=message.language,
            content=content_of(message),
        )
        return f"console-{record.pk}"
