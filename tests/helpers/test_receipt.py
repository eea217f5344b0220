"""The money of a done groceries mission: the organisation's operators and coordinators
see the amount, how the helpee paid back and the photo of the receipt on the mission's
page; each view of the photo is logged; nobody else sees it; the photo goes after 60
days, the amount stays."""

import datetime
import os

import pytest
from django.utils import timezone

from solidair.helpers.models import MissionReport
from solidair.helpers.services import mission_done, receipts_purge
from solidair.missions import services as missions
from solidair.people.models import AccessLog
from tests.conftest import login
from tests.helpers.conftest import photo, published_mission


@pytest.fixture
def done(cast):
    mission = published_mission(cast, shopping_list="Bread", spending_cap="20")
    missions.mission_assign(mission=mission, helper=cast.helper, by=cast.helper.user)
    return mission_done(
        mission=mission,
        helper=cast.helper,
        amount_spent="18.40",
        receipt=photo("receipt.jpg"),
        payback="cash",
    )


def receipt_views(cast):
    return AccessLog.objects.filter(helpee=cast.helpee, page__endswith="/receipt.img")


@pytest.mark.parametrize("who", ["operator", "coordinator"])
def test_staff_see_the_amount_the_payback_and_the_receipt(client, cast, done, who):
    login(client, getattr(cast, who))
    text = client.get(f"/missions/{done.pk}/").content.decode()
    assert "The helper&#x27;s report" in text or "The helper's report" in text
    assert '<dd id="amount-spent">18.40 €</dd>' in text
    assert "Cash, against the receipt" in text
    assert f'href="/missions/{done.pk}/receipt.img"' in text
    assert "deleted 60 days after the mission" in text


def test_each_view_of_the_receipt_is_logged_and_never_cached(client, cast, done):
    login(client, cast.operator)
    for _ in range(2):
        response = client.get(f"/missions/{done.pk}/receipt.img")
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"  # a JPEG
        assert "no-cache" in response["Cache-Control"]
    assert receipt_views(cast).filter(user=cast.operator).count() == 2


@pytest.mark.parametrize("who", ["helper", "other_helper", "outsider", "moderator"])
def test_nobody_else_sees_the_receipt(client, cast, done, who):
    user = getattr(cast, who)
    login(client, getattr(user, "user", user))
    assert client.get(f"/missions/{done.pk}/receipt.img").status_code == 404
    page = client.get(f"/missions/{done.pk}/")
    assert "receipt.img" not in page.content.decode()
    assert not receipt_views(cast).exists()


def test_without_a_report_the_receipt_is_not_found(client, cast):
    mission = published_mission(cast)
    login(client, cast.operator)
    assert client.get(f"/missions/{mission.pk}/receipt.img").status_code == 404
    assert "The helper" not in client.get(f"/missions/{mission.pk}/").content.decode()


def test_the_photo_is_deleted_60_days_after_the_mission_the_amount_stays(client, cast, done):
    report = MissionReport.objects.get(mission=done)
    path = report.receipt.path
    day_59 = report.created_at + datetime.timedelta(days=59)
    assert receipts_purge(now=day_59) == 0 and os.path.exists(path)
    day_61 = report.created_at + datetime.timedelta(days=61)
    assert receipts_purge(now=day_61) == 1
    assert not os.path.exists(path)
    report.refresh_from_db()
    assert not report.receipt and report.receipt_deleted_at == day_61
    assert str(report.amount_spent) == "18.40" and report.payback == "cash"
    login(client, cast.operator)
    text = client.get(f"/missions/{done.pk}/").content.decode()
    assert "18.40 €" in text and "The photo was deleted on" in text
    assert client.get(f"/missions/{done.pk}/receipt.img").status_code == 404


def test_the_retention_follows_the_setting(cast, done, settings):
    settings.HELPERS_RECEIPT_KEEP_DAYS = 10
    report = MissionReport.objects.get(mission=done)
    assert receipts_purge(now=report.created_at + datetime.timedelta(days=11)) == 1


def test_a_stray_receipt_file_is_removed_once_old(done, private_media):
    stray = private_media / "receipts" / "cut-short.jpg"
    stray.write_bytes(b"half an upload")
    old = (timezone.now() - datetime.timedelta(days=61)).timestamp()
    os.utime(stray, (old, old))
    assert receipts_purge() == 1
    assert not stray.exists()
    assert MissionReport.objects.get(mission=done).receipt  # the recent one stays


def test_the_purge_runs_as_a_background_job(cast, done):
    from solidair.helpers.tasks import receipts_purge as job

    MissionReport.objects.update(created_at=timezone.now() - datetime.timedelta(days=61))
    assert job.call() == 1
    assert not MissionReport.objects.get(mission=done).receipt


def test_the_purge_is_a_periodic_job(settings):
    job = settings.PERIODIC_JOBS["purge_receipts"]
    assert job["task"] == "solidair.helpers.tasks.receipts_purge"
    assert job["every_seconds"] <= 24 * 3600
