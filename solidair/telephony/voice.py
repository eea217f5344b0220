"""The TwiML of the help line: the language menu, the choice menu, the queue, the
operator's whisper, the voicemail. Every sentence is said in the voice of the language
it is written in."""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from twilio.twiml import TwiML
from twilio.twiml.voice_response import VoiceResponse

from solidair.languages import Language
from solidair.notifications.providers.voice import say

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
    if not query:
        return path
    return path + "?" + "&".join(f"{key}={value}" for key, value in query.items())


def _say(node: TwiML, text: str, language: str) -> None:
    say(node, text, language)


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


def voicemail_prompt(*, language: str, choice: str, closed: bool = False) -> str:
    """Nobody can answer (the wait limit passed, or the line is closed): a message after
    the tone. A caller who records nothing still comes back to the voicemail webhook."""
    response = VoiceResponse()
    with translation.override(language):
        if closed:
            text = _(
                "The help line is closed now. Please leave a message after the tone, "
                "with your name and your phone number."
            )
        else:
            text = _(
                "Nobody can answer right now. Please leave a message after the tone, "
                "with your name and your phone number."
            )
        _say(response, text, language)
    response.record(
        max_length=VOICEMAIL_SECONDS,
        action=_url("voicemail", choice=choice),
        method="POST",
        play_beep=True,
    )
    response.redirect(_url("voicemail", choice=choice), method="POST")
    return str(response)


def enqueue(*, queue: str) -> str:
    """The caller waits in a queue of their own; `wait` speaks to them meanwhile and
    `queue_done` hears how the wait ended."""
    response = VoiceResponse()
    response.enqueue(
        queue,
        wait_url=_url("wait"),
        wait_url_method="POST",
        action=_url("queue_done"),
        method="POST",
    )
    return str(response)


def waiting(*, language: str, position: int, pause_seconds: int) -> str:
    """Heard while waiting, then silence; the provider asks again when it is over."""
    response = VoiceResponse()
    with translation.override(language):
        if position <= 1:
            text = _(
                "You are next. An operator will answer you in a moment, please stay on the line."
            )
        else:
            text = _(
                "You are number %(position)s in the queue. "
                "An operator will answer you as soon as possible, please stay on the line."
            ) % {"position": position}
        _say(response, text, language)
    response.pause(length=pause_seconds)
    return str(response)


def leave() -> str:
    """The wait limit has passed: out of the queue, on to the Enqueue's action."""
    response = VoiceResponse()
    response.leave()
    return str(response)


def whisper(
    *, ring_pk: int, language: str, call_language: str, choice: str, organisation: str
) -> str:
    """Heard by the operator alone when they pick up: the call is theirs only if they
    press 1, so that their voicemail never takes it. Silence comes back to `take`
    without a key."""
    response = VoiceResponse()
    gather = response.gather(
        num_digits=1, action=_url("take", ring=ring_pk), method="POST", timeout=GATHER_SECONDS
    )
    with translation.override(language):
        wanted = CHOICES.get(choice)
        text = _("%(organisation)s call in %(language)s.") % {
            "organisation": organisation,
            "language": Language(call_language).label,
        }
        if wanted:
            text += " " + str(wanted) + "."
        _say(gather, text + " " + _("Press 1 to take it."), language)
    response.redirect(_url("take", ring=ring_pk), method="POST")
    return str(response)


def bridge(*, queue: str) -> str:
    """The operator took the call: they are connected to the caller waiting in `queue`."""
    response = VoiceResponse()
    dial = response.dial()
    dial.queue(queue)
    response.hangup()
    return str(response)


def not_yours(*, language: str, why: str) -> str:
    """To an operator whose ring did not end with the call: another operator was faster
    ("taken"), they did not press 1 ("declined"), or the caller is gone ("gone")."""
    response = VoiceResponse()
    with translation.override(language):
        if why == "taken":
            text = _("This call was taken by another operator. Thank you, goodbye.")
        elif why == "declined":
            text = _("You did not take this call. Goodbye.")
        else:
            text = _("This caller is no longer waiting. Thank you, goodbye.")
        _say(response, text, language)
    response.hangup()
    return str(response)


def refused(*, language: str) -> str:
    """To a blocked number: short and polite."""
    response = VoiceResponse()
    with translation.override(language):
        _say(response, _("Sorry, this line cannot take your call. Goodbye."), language)
    response.hangup()
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
