"""Helpers tests: private files go to a temporary folder; photos are made with Pillow."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from solidair.missions import services as missions

# A Belgian identity card's machine-readable zone with correct check digits
# (made with mrz.generator.td1), and the same with one birth-date digit mistyped.
GOOD_MRZ = (
    "IDBELB123456781<<<<<<<<<<<<<<<\n8001014F3001019BEL<<<<<<<<<<<0\nPEETERS<<MARIA<<<<<<<<<<<<<<<<"
)
BAD_MRZ = GOOD_MRZ.replace("8001014", "8001015")
MRZ_EXPIRY = "2030-01-01"
GOOD_NATIONAL_NUMBER = "85.07.30-033.28"
BAD_NATIONAL_NUMBER = "85.07.30-033.29"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media" / "private"


def photo(name="card.jpg", size=(60, 40), kind="JPEG"):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 180, 90)).save(buffer, kind)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def published_mission(cast, helpee=None, theme=None, **fields):
    return missions.mission_create(
        helpee=helpee or cast.helpee,
        theme=theme or cast.groceries,
        by=cast.trusted_operator,
        **fields,
    )


@pytest.fixture
def client():
    """The shared CSRF-enforcing client, reading pages in English."""
    from tests.conftest import CsrfClient

    return CsrfClient(HTTP_ACCEPT_LANGUAGE="en")
