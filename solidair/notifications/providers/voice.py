"""The TwiML of a voice call: the text in the language's voice, then 'press 1'."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from twilio.twiml import TwiML
from twilio.twiml.voice_response import VoiceResponse

from solidair.notifications.models import Message

# Say's language per Solidair language (every TwiML-speaking provider knows these).
VOICE_LANGUAGES = {"fr": "fr-FR", "nl": "nl-NL", "en": "en-GB", "de": "de-DE"}


def say(node: TwiML, text: str, language: str) -> None:
    """`text` said in the voice of `language` (a Solidair language code)."""
    voice = settings.TWILIO_VOICES.get(language, "")
    node.say(
        text, language=VOICE_LANGUAGES.get(language, "fr-FR"), **({"voice": voice} if voice else {})
    )


def voice_url(message: Message) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("notifications:twilio_voice", args=[message.pk])


def voice_twiml(message: Message) -> str:
    language = message.language
    response = VoiceResponse()
    say(response, message.body, language)
    gather = response.gather(num_digits=1, action=voice_url(message), method="POST", timeout=6)
    with translation.override(message.language):
        if message.purpose == "feedback":
            say(
                gather,
                _("Press 1 if you received your help. Press 2 to speak to an operator."),
                language,
            )
        else:
            say(gather, _("Press 1 to hear this message again."), language)
    return str(response)


def sms_text(message: Message) -> str:
    """An SMS is the body, and for the after-mission question what to answer (the
    telephony's SMS webhook reads the "1")."""
    if message.purpose != "feedback":
        return message.body
    with translation.override(message.language):
        return message.body + " " + _("Reply 1 if you received your help.")


def said_twiml(message: Message, text: str) -> str:
    """Say one sentence in the message's language, then hang up."""
    response = VoiceResponse()
    say(response, text, message.language)
    response.hangup()
    return str(response)


def hang_up_twiml() -> str:
    response = VoiceResponse()
    response.hangup()
    return str(response)
