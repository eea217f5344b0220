"""The language menu and the choice menu: keys, wrong keys and silence."""

from solidair.callcentre.models import Call
from tests.telephony.conftest import target

LANGUAGE = "/telephony/voice/language/"
CHOICE = "/telephony/voice/choice/"


def choose_language(provider, digit, attempt=0):
    return provider.twiml(f"{LANGUAGE}?attempt={attempt}", Digits=digit)


def test_pressing_2_chooses_dutch_and_hears_the_choices_in_dutch(line, provider):
    root = choose_language(provider, "2")
    assert Call.objects.get().language == "nl"
    gather, redirect = list(root)
    assert gather.tag == "Gather" and gather.get("numDigits") == "1"
    assert target(gather.get("action")) == (CHOICE, {"attempt": "0"})
    assert [(say.tag, say.get("language")) for say in gather] == [("Say", "nl-NL")]
    assert "1" in gather[0].text and "2" in gather[0].text and "3" in gather[0].text
    assert target(redirect.text) == (CHOICE, {"attempt": "0"})


def test_a_key_not_on_the_menu_repeats_the_language_menu(line, provider):
    root = choose_language(provider, "7")
    gather = root.find("Gather")
    assert target(gather.get("action")) == (LANGUAGE, {"attempt": "1"})
    assert len(gather.findall("Say")) == 4
    assert root.find("Say") is None  # the welcome is not said again
    assert Call.objects.get().language == ""


def test_silence_repeats_the_menu_twice_then_takes_the_first_language(line, provider):
    line.organisation.languages = ["nl", "en"]
    line.organisation.save()
    first = provider.twiml(f"{LANGUAGE}?attempt=0")
    assert target(first.find("Gather").get("action")) == (LANGUAGE, {"attempt": "1"})
    second = provider.twiml(f"{LANGUAGE}?attempt=1")
    assert target(second.find("Gather").get("action")) == (LANGUAGE, {"attempt": "2"})
    then = provider.twiml(f"{LANGUAGE}?attempt=2")
    assert target(then.find("Gather").get("action")) == (CHOICE, {"attempt": "0"})
    say = then.find("Gather/Say")
    # A Dutch voice: the provider's default voice ("man") speaks no Dutch.
    assert (say.get("language"), say.get("voice")) == ("nl-NL", "Polly.Lotte")
    assert Call.objects.get().language == "nl"


def test_every_language_of_the_menu_is_said_in_a_voice_that_speaks_it(line, provider):
    line.organisation.languages = ["fr", "nl", "en", "de"]
    line.organisation.save()
    root = provider.twiml(f"{LANGUAGE}?attempt=0")
    voices = [(say.get("language"), say.get("voice")) for say in root.iter("Say")]
    assert voices == [
        ("fr-FR", "Polly.Celine"),
        ("nl-NL", "Polly.Lotte"),
        ("en-GB", "Polly.Amy"),
        ("de-DE", "Polly.Vicki"),
    ]
