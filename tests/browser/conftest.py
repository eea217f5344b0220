"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser)."""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("SOLIDAIR_CHROMIUM", "/usr/bin/chromium")

# Playwright's sync API runs an event loop in this thread; the tests still use the ORM.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if shutil.which(CHROMIUM):
        return
    if os.environ.get("CI"):
        return  # in CI a missing browser must fail, not skip
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (Debian package chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="fr-BE")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def assert_accessible(page):
    """axe-core finds no serious or critical violation on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == [], f"{page.url}: {bad}"


_POSTCODE_ROWS: list = []


@pytest.fixture(autouse=True)
def postcodes(transactional_db):
    """Each browser test starts from a flushed database: put the postcodes back."""
    from solidair.places import data
    from solidair.places.models import Postcode

    if Postcode.objects.exists():
        return
    if not _POSTCODE_ROWS:
        _POSTCODE_ROWS.extend(data.geonames_postcodes(("BE",)))
    Postcode.objects.bulk_create(
        [
            Postcode(
                country=r["country_code"],
                code=r["postal_code"],
                locality=r.get("city") or "",
                latitude=r["latitude"],
                longitude=r["longitude"],
            )
            for r in _POSTCODE_ROWS
        ],
        batch_size=1000,
    )
