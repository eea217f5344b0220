"""Every message a person reads exists in FR, NL, EN and DE, and the catalogs are compiled."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

import solidair

PACKAGE = Path(solidair.__file__).parent
LANGUAGES = ["fr", "nl", "en", "de"]


def catalog(language, root=PACKAGE / "locale"):
    return root / language / "LC_MESSAGES" / "django.po"


def missing(po):
    return [entry.msgid for entry in po if not entry.translated() or "fuzzy" in entry.flags] + [
        entry.msgid for entry in po.obsolete_entries()
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_in_the_catalog_is_translated(language):
    assert missing(polib.pofile(catalog(language))) == []


def test_the_english_catalog_says_what_the_code_says():
    """English is the source language: a msgstr that differs is a fuzzy neighbour that
    slipped through (it once answered a refusal with another refusal's text)."""
    po = polib.pofile(catalog("en"))
    differ = [
        entry.msgid
        for entry in po
        if (entry.msgstr_plural and entry.msgstr_plural != {0: entry.msgid, 1: entry.msgid_plural})
        or (not entry.msgid_plural and entry.msgstr != entry.msgid)
    ]
    assert differ == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalog_matches_the_source(language):
    po = polib.pofile(catalog(language))
    mo = polib.mofile(catalog(language).with_suffix(".mo"))
    compiled = {entry.msgid: entry.msgstr for entry in mo}
    stale = [e.msgid for e in po if compiled.get(e.msgid) != e.msgstr]
    assert stale == [], "run: cd solidair && django-admin compilemessages"


def test_no_message_in_the_code_is_missing_from_the_catalogs(tmp_path):
    """Extract the messages again (as makemessages does) and compare."""
    if shutil.which("xgettext") is None:
        if os.environ.get("CI"):
            pytest.fail("xgettext (Debian package gettext) is needed to check the catalogs")
        pytest.skip("xgettext is not installed (Debian package gettext)")
    # A copy of the code without its locale folder, so that makemessages writes into
    # the copied catalogs under tmp_path and never into the real ones.
    source = tmp_path / "solidair"
    shutil.copytree(PACKAGE, source, ignore=shutil.ignore_patterns("locale", "__pycache__"))
    locale = tmp_path / "locale"
    for language in LANGUAGES:
        target = catalog(language, locale)
        target.parent.mkdir(parents=True)
        shutil.copy(catalog(language), target)
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        f"settings.LOCALE_PATHS = [{str(locale)!r}]\n"
        "from django.core.management import call_command\n"
        f"call_command('makemessages', locale={LANGUAGES!r}, verbosity=0,"
        " ignore_patterns=['migrations/*'])\n"
    )
    subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        cwd=source,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "solidair.settings"},
        check=True,
        timeout=120,
    )
    for language in LANGUAGES:
        extracted = polib.pofile(catalog(language, locale))
        untranslated = [e.msgid for e in extracted if not e.translated()]
        assert untranslated == [], (
            f"{language}: translate these, after `cd solidair && django-admin makemessages -a`"
        )


@pytest.mark.parametrize(
    ("language", "words"),
    [("fr", "Se connecter"), ("nl", "Aanmelden"), ("en", "Log in"), ("de", "Anmelden")],
)
def test_the_login_page_speaks_each_language(client, db, language, words):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f"<h1>{words}</h1>" in page
