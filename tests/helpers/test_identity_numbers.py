"""The national number and the machine-readable zone are checked at upload and kept
nowhere: not in any table, not in any file, not after the decision."""

import pytest
from django.apps import apps

from solidair.helpers import services
from solidair.helpers.models import IdentityDocument
from tests.conftest import login, make_helper
from tests.helpers.conftest import GOOD_MRZ, GOOD_NATIONAL_NUMBER, MRZ_EXPIRY, photo

# What would betray the numbers: the national number's digits, the document number
# and the holder's name as written in the zone.
SECRETS = ("85073003328", "85.07.30", "B12345678", "PEETERS", "8001014")


def everything_stored() -> str:
    rows = []
    for model in apps.get_models():
        for row in model._default_manager.values():
            rows.append(repr(row))
    return "\n".join(rows)


def every_file(folder) -> bytes:
    return b"".join(path.read_bytes() for path in folder.rglob("*") if path.is_file())


@pytest.fixture
def uploaded(client, cast):
    newcomer = make_helper(cast.organisation, "newcomer", verified=False)
    login(client, newcomer.user)
    response = client.post(
        "/helpers/identity/",
        {
            "document_type": "id_card",
            "expires_on": MRZ_EXPIRY,
            "front": photo("front.jpg"),
            "back": photo("back.png", kind="PNG"),
            "mrz": GOOD_MRZ,
            "national_number": GOOD_NATIONAL_NUMBER,
        },
        follow=True,
    )
    assert "A moderator will check your document" in response.content.decode()
    return IdentityDocument.objects.get(helper=newcomer)


def test_only_that_they_were_checked_is_kept(uploaded):
    assert uploaded.mrz_checked and uploaded.national_number_checked
    stored = everything_stored()
    assert [secret for secret in SECRETS if secret in stored] == []


def test_no_file_holds_them(uploaded, private_media):
    files = every_file(private_media.parent)
    assert [s for s in SECRETS if s.encode() in files] == []


def test_after_the_decision_only_the_outcome_stays(uploaded, cast):
    services.identity_decide(document=uploaded, by=cast.moderator, approve=True)
    uploaded.refresh_from_db()
    assert not uploaded.has_images and uploaded.images_deleted_at is not None
    assert (uploaded.document_type, str(uploaded.expires_on)) == ("id_card", MRZ_EXPIRY)
    assert uploaded.decided_by == cast.moderator and uploaded.decided_at is not None
    stored = everything_stored()
    assert [secret for secret in SECRETS if secret in stored] == []
