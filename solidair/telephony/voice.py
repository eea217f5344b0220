"""The TwiML of the help line: the language menu, the choice menu, the voicemail.
Every sentence is said in the voice of the language it is written in."""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from twilio.twiml import TwiML
from twilio.twiml.voice_response import VoiceResponse

from solidair.notifications.providers.voice import VOICE_LANGUAGES

# Said in its own language, whatever the caller's: they have not chosen yet.
LANGUAGE_OFFERS = {
    "fr": gettext_lazy("For French, press %(digit)s."),
    "nl": gettext_lazy("For Dutch, press %(digit)s."),
    "en": gettext_lazy("For English, press %(digit)s."),
    "de": gettext_lazy("For German, press %(digit)s."),
}
# What the caller can ask for, by key; the value is kept as the callback's reason.
CHOICES = {
    "1": gettext_lazy("Asks for help"),
    "2": gettext_lazy("Wants to talk to someone (listening line)"),
    "3": gettext_lazy("Helpers' line"),
}
GATHER_SECONDS = 6
VOICEMAIL_SECONDS = 120


def _url(name: str, **query: object) -> str:
    """A path: the provider resolves it against the webhook's own address."""
    path = reverse(f"telephony:{name}")
    return path + "?" + "&".join(f"{key}={value}" for key, value in query.items())


def _say(node: TwiML, text: str, language: str) -> None:
    node.say(text, language=VOICE_LANGUAGES.get(language, "fr-FR"))


def language_menu(*, languages: list[str], attempt: int, welcome: str = "") -> str:
    """Welcome (once), then each language offered in its own words; silence comes
    back to the language webhook like a wrong key."""
    response = VoiceResponse()
    if welcome:
        _say(response, welcome, languages[0])
    gather = response.gather(
        num_digits=1,
        action=_url("language", attempt=attempt),
        method="POST",
        timeout=GATHER_SECONDS,
    )
    for digit, language in enumerate(languages, start=1):
        with translation.override(language):
            _say(gather, str(LANGUAGE_OFFERS[language]) % {"digit": digit}, language)
    response.redirect(_url("language", attempt=attempt), method="POST")
    return str(response)


def choice_menu(*, language: str, attempt: int) -> str:
    response = VoiceResponse()
    gather = response.gather(
        num_digits=1, action=_url("choice", attempt=attempt), method="POST", timeout=GATHER_SECONDS
    )
    with translation.override(language):
        _say(
            gather,
            _(
                "To ask for help, press 1. To talk to someone, press 2. "
                "For the helpers' line, press 3."
            ),
            language,
        )
    response.redirect(_url("choice", attempt=attempt), method="POST")
    return str(response)


def voicemail_prompt(*, language: str, choice: str) -> str:
    """Nobody answers yet (routing to operators comes later): a message after the tone.
    A caller who records nothing still comes back to the voicemail webhook."""
    response = VoiceResponse()
    with translation.override(language):
        _say(
            response,
            _(
                "Nobody can answer right now. Please leave a message after the tone, "
                "with your name and your phone number."
            ),
            language,
        )
    response.record(
        max_length=VOICEMAIL_SECONDS,
        action=_url("voicemail", choice=choice),
        method="POST",
        play_beep=True,
    )
    response.redirect(_url("voicemail", choice=choice), method="POST")
    return str(response)


def goodbye(*, language: str) -> str:
    response = VoiceResponse()
    with translation.override(language):
        _say(response, _("Thank you. We will call you back soon. Goodbye."), language)
    response.hangup()
    return str(response)


def hang_up() -> str:
    response = VoiceResponse()
    response.hangup()
    return str(response)
