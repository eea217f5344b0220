"""The identity check: upload with check digits, the moderators' queue, images deleted."""

import datetime
import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from solidair.helpers import services
from solidair.helpers.models import IdentityDocument, IdentityImageView, Outcome
from solidair.notifications.models import Message
from solidair.people.models import Verification
from tests.conftest import login, make_helper
from tests.helpers.conftest import (
    BAD_MRZ,
    BAD_NATIONAL_NUMBER,
    GOOD_MRZ,
    GOOD_NATIONAL_NUMBER,
    MRZ_EXPIRY,
    photo,
)

URL = "/helpers/identity/"


@pytest.fixture
def newcomer(cast):
    return make_helper(cast.organisation, "newcomer", verified=False)


def upload(**changes):
    data = {
        "document_type": "id_card",
        "expires_on": MRZ_EXPIRY,
        "front": photo("front.jpg"),
        "back": photo("back.png", kind="PNG"),
        "mrz": "",
        "national_number": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_a_helper_uploads_both_sides_with_correct_check_digits(client, newcomer, private_media):
    login(client, newcomer.user)
    response = client.post(
        URL, upload(mrz=GOOD_MRZ, national_number=GOOD_NATIONAL_NUMBER), follow=True
    )
    assert "A moderator will check your document" in response.content.decode()
    document = IdentityDocument.objects.get(helper=newcomer)
    assert document.outcome == Outcome.PENDING and document.expires_on.year == 2030
    assert document.mrz_checked and document.national_number_checked
    assert sorted(p.suffix for p in (private_media / "identity").iterdir()) == [".jpg", ".png"]
    # The numbers themselves are kept nowhere.
    row = IdentityDocument.objects.filter(pk=document.pk).values().get()
    assert not any("85073003328" in str(v) or "B12345678" in str(v) for v in row.values())


def test_a_mistyped_machine_readable_zone_is_refused_and_the_rest_is_kept(client, newcomer):
    login(client, newcomer.user)
    response = client.post(URL, upload(mrz=BAD_MRZ, national_number=GOOD_NATIONAL_NUMBER))
    text = response.content.decode()
    assert "The check digits of the machine-readable zone do not match" in text
    assert GOOD_NATIONAL_NUMBER in text and "PEETERS&lt;&lt;MARIA" in text
    assert not IdentityDocument.objects.exists()


def test_a_zone_of_the_wrong_shape_is_explained(client, newcomer):
    login(client, newcomer.user)
    response = client.post(URL, upload(mrz="IDBEL123"))
    assert "3 lines of 30 characters on an identity card" in response.content.decode()


def test_a_bad_belgian_national_number_is_refused(client, newcomer):
    login(client, newcomer.user)
    response = client.post(URL, upload(national_number=BAD_NATIONAL_NUMBER))
    text = response.content.decode()
    assert "This national number is not valid: its check digits do not match" in text
    assert BAD_NATIONAL_NUMBER in text
    assert not IdentityDocument.objects.exists()


def test_an_expiry_date_that_contradicts_the_zone_is_refused(client, newcomer):
    login(client, newcomer.user)
    response = client.post(URL, upload(mrz=GOOD_MRZ, expires_on="2031-05-01"))
    assert "the document is valid until 01/01/2030" in response.content.decode()


def test_a_file_that_is_not_an_image_is_refused(client, newcomer):
    login(client, newcomer.user)
    fake = SimpleUploadedFile("card.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    response = client.post(URL, upload(front=fake))
    assert "“card.jpg” is not a photo we can read" in response.content.decode()
    assert not IdentityDocument.objects.exists()


def test_a_file_over_10_mb_is_refused(client, newcomer):
    login(client, newcomer.user)
    big = SimpleUploadedFile("huge.jpg", b"\xff" * (10 * 1024 * 1024 + 1))
    response = client.post(URL, upload(back=big))
    assert "“huge.jpg” is too big: a photo can be at most 10 MB" in response.content.decode()
    assert not IdentityDocument.objects.exists()


def test_an_expired_document_is_refused(client, newcomer):
    login(client, newcomer.user)
    response = client.post(URL, upload(expires_on="2020-01-01"))
    assert "This document expired on 01/01/2020" in response.content.decode()


def test_an_identity_card_needs_its_back(client, newcomer):
    login(client, newcomer.user)
    response = client.post(URL, upload(back=None))
    assert "Please add a photo of the back of the card." in response.content.decode()


def test_a_passport_needs_no_back(client, newcomer):
    login(client, newcomer.user)
    client.post(URL, upload(document_type="passport", back=None))
    assert IdentityDocument.objects.get().document_type == "passport"


def submitted(helper):
    return services.identity_submit(
        helper=helper,
        document_type="id_card",
        expires_on=datetime.date(2030, 1, 1),
        front=photo("front.jpg"),
        back=photo("back.jpg"),
        mrz_checked=False,
        national_number_checked=False,
    )


def test_the_helper_sees_why_they_wait_and_no_mission(client, newcomer):
    submitted(newcomer)
    login(client, newcomer.user)
    assert "waiting for a moderator" in client.get("/helpers/").content.decode()
    feed = client.get("/helpers/feed/").content.decode()
    assert "waiting for a moderator" in feed and 'id="feed-live"' not in feed


def test_a_moderator_sees_the_images_beside_the_profile_and_each_view_is_logged(
    client, cast, newcomer
):
    newcomer.street = "Rue Haute"
    newcomer.save()
    document = submitted(newcomer)
    login(client, cast.moderator)
    assert "Newcomer" in client.get("/helpers/review/").content.decode()
    page = client.get(f"/helpers/review/{document.pk}/").content.decode()
    assert "Rue Haute" in page and f"/helpers/review/{document.pk}/front.img" in page
    image = client.get(f"/helpers/review/{document.pk}/front.img")
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    assert b"".join(image.streaming_content)[:2] == b"\xff\xd8"
    view = IdentityImageView.objects.get()
    assert (view.user, view.helper, view.page) == (
        cast.moderator,
        newcomer,
        f"/helpers/review/{document.pk}/front.img",
    )


@pytest.mark.parametrize("who", ["helper", "operator", "outsider"])
def test_nobody_else_sees_the_images(client, cast, newcomer, who):
    document = submitted(newcomer)
    user = cast.helper.user if who == "helper" else getattr(cast, who)
    login(client, user)
    assert client.get(f"/helpers/review/{document.pk}/front.img").status_code in (403, 404)
    assert client.get(f"/helpers/review/{document.pk}/").status_code in (403, 404)
    assert not IdentityImageView.objects.exists()


def test_the_images_have_no_public_address(newcomer, settings):
    document = submitted(newcomer)
    with pytest.raises(ValueError):
        document.front.url  # noqa: B018


def test_approval_verifies_the_helper_and_deletes_the_images(client, cast, newcomer):
    document = submitted(newcomer)
    paths = [document.front.path, document.back.path]
    assert all(os.path.exists(p) for p in paths)
    login(client, cast.moderator)
    client.post(f"/helpers/review/{document.pk}/", {"decision": "approve", "reason": ""})
    assert not any(os.path.exists(p) for p in paths)
    document.refresh_from_db()
    newcomer.refresh_from_db()
    assert (document.outcome, document.decided_by, document.front.name) == (
        Outcome.APPROVED,
        cast.moderator,
        "",
    )
    assert document.images_deleted_at and document.decided_at
    assert newcomer.verification == Verification.APPROVED and newcomer.verified_at


def test_rejection_needs_a_reason_deletes_the_images_and_tells_the_helper(client, cast, newcomer):
    document = submitted(newcomer)
    login(client, cast.moderator)
    response = client.post(f"/helpers/review/{document.pk}/", {"decision": "reject"})
    assert "Please say why" in response.content.decode()
    assert os.path.exists(document.front.path)
    client.post(
        f"/helpers/review/{document.pk}/",
        {"decision": "reject", "reason": "The photo is blurred."},
    )
    assert not os.path.exists(document.front.path)
    newcomer.refresh_from_db()
    assert newcomer.verification == Verification.REJECTED
    login(client, newcomer.user)
    page = client.get(URL).content.decode()
    assert "The photo is blurred." in page and 'name="front"' in page  # may send again


def test_a_second_decision_is_refused(cast, newcomer):
    document = submitted(newcomer)
    services.identity_decide(document=document, by=cast.moderator, approve=True)
    with pytest.raises(services.IdentityError):
        services.identity_decide(document=document, by=cast.moderator, approve=False, reason="late")


def test_images_are_deleted_after_seven_days_whatever_happens(newcomer, private_media):
    newcomer.user.language = "nl"
    newcomer.user.save(update_fields=["language"])
    old = submitted(newcomer)
    IdentityDocument.objects.filter(pk=old.pk).update(
        uploaded_at=timezone.now() - datetime.timedelta(days=8)
    )
    stray = private_media / "identity" / "stray.jpg"
    stray.write_bytes(b"left by an upload cut short")
    eight_days_ago = (timezone.now() - datetime.timedelta(days=8)).timestamp()
    os.utime(stray, (eight_days_ago, eight_days_ago))
    other = make_helper(newcomer.organisation, "recent", verified=False)
    recent = submitted(other)

    from solidair.helpers.tasks import identity_images_purge

    identity_images_purge.call()
    assert not os.path.exists(old.front.path) and not stray.exists()
    old.refresh_from_db()
    assert os.path.exists(recent.front.path)
    # Undecided, the document can no longer be checked: refused with the reason, and the
    # helper is asked to send it again, in their language.
    assert old.images_deleted_at and old.outcome == Outcome.REJECTED
    assert old.reason.startswith("geen moderator kon uw document binnen 7 dagen nakijken")
    newcomer.refresh_from_db()
    assert newcomer.verification == Verification.REJECTED
    told = Message.objects.get(user=newcomer.user)
    assert "Stuur het alstublieft opnieuw." in told.body


def test_a_document_whose_photos_are_gone_cannot_be_approved(cast, newcomer):
    document = submitted(newcomer)
    services.identity_images_delete(document=document)
    with pytest.raises(services.IdentityError, match="The photos of this document are gone"):
        services.identity_decide(document=document, by=cast.moderator, approve=True)
    document.refresh_from_db()
    newcomer.refresh_from_db()
    assert document.outcome == Outcome.PENDING
    assert newcomer.verification != Verification.APPROVED


def test_an_expired_document_can_be_sent_again(client, newcomer):
    document = submitted(newcomer)
    IdentityDocument.objects.filter(pk=document.pk).update(
        uploaded_at=timezone.now() - datetime.timedelta(days=8)
    )
    services.identity_images_purge()
    login(client, newcomer.user)
    page = client.get("/helpers/identity/").content.decode()
    assert "no moderator could check your document within 7 days" in page
    assert 'name="front"' in page


def test_a_photo_from_a_phone_camera_with_two_pictures_in_it_is_accepted():
    from PIL import Image

    from solidair.helpers.images import image_check

    buffer = io.BytesIO()
    first, second = Image.new("RGB", (60, 40), "white"), Image.new("RGB", (30, 20), "black")
    first.save(buffer, "MPO", save_all=True, append_images=[second])
    upload = SimpleUploadedFile("card.jpg", buffer.getvalue(), content_type="image/jpeg")
    with Image.open(io.BytesIO(buffer.getvalue())) as image:
        assert image.format == "MPO"
    assert image_check(upload) is upload


def test_the_purge_is_a_periodic_job(settings):
    job = settings.PERIODIC_JOBS["purge_identity_images"]
    assert job["task"] == "solidair.helpers.tasks.identity_images_purge"
