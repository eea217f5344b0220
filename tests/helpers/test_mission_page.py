"""Doing the mission: on my way, done (with the money for groceries), I can't make it,
the helpee did not answer, and feedback."""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from solidair.callcentre.models import Callback
from solidair.helpers.models import MissionFeedback, MissionReport
from solidair.missions import services as missions
from solidair.missions.models import State, Trouble
from tests.conftest import login
from tests.helpers.conftest import photo, published_mission


@pytest.fixture
def taken(cast, client):
    mission = published_mission(cast, shopping_list="Bread", spending_cap="20")
    missions.mission_assign(mission=mission, helper=cast.helper, by=cast.helper.user)
    login(client, cast.helper.user)
    return mission


def url(mission, action=""):
    return f"/helpers/missions/{mission.pk}/{action + '/' if action else ''}"


def test_on_my_way_then_done_with_the_receipt(client, cast, taken):
    client.post(url(taken, "start"))
    taken.refresh_from_db()
    assert taken.state == State.IN_PROGRESS
    response = client.post(
        url(taken, "done"),
        {"amount_spent": "18.40", "receipt": photo("receipt.jpg"), "payback": "cash"},
        follow=True,
    )
    assert "The mission is done" in response.content.decode()
    taken.refresh_from_db()
    assert taken.state == State.DONE
    report = MissionReport.objects.get(mission=taken)
    assert (str(report.amount_spent), report.payback) == ("18.40", "cash")
    assert os.path.exists(report.receipt.path) and "/private/receipts/" in report.receipt.path
    cast.helper.refresh_from_db()
    assert cast.helper.missions_done == 1
    # After the mission, its details are no longer shown.
    assert "Bailli" not in response.content.decode()


def test_a_receipt_that_is_not_an_image_is_refused_and_the_amount_kept(client, taken):
    fake = SimpleUploadedFile("receipt.jpg", b"not an image")
    response = client.post(
        url(taken, "done"), {"amount_spent": "18.40", "receipt": fake, "payback": "cash"}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "“receipt.jpg” is not a photo we can read" in text and 'value="18.40"' in text
    taken.refresh_from_db()
    assert taken.state == State.ASSIGNED


def test_groceries_need_the_amount(client, taken):
    response = client.post(url(taken, "done"), {"receipt": photo(), "payback": "cash"})
    assert response.status_code == 400
    assert not MissionReport.objects.exists()


def test_i_can_t_make_it_gives_the_mission_back_and_counts_it(client, cast, taken):
    response = client.post(url(taken, "release"), {"reason": ""})
    assert "Please say why, in a few words." in response.content.decode()
    client.post(url(taken, "release"), {"reason": "My child is ill"})
    taken.refresh_from_db()
    assert (taken.state, taken.helper, taken.trouble) == (State.PUBLISHED, None, Trouble.RELEASED)
    cast.helper.refresh_from_db()
    assert cast.helper.missions_released == 1
    assert client.get(url(taken)).status_code == 404  # no longer theirs


def test_the_helpee_did_not_answer_goes_to_the_operators(client, taken):
    client.post(url(taken, "unreachable"), {"note": "Rang three times"})
    taken.refresh_from_db()
    assert taken.trouble == Trouble.UNREACHABLE and taken.state == State.ASSIGNED
    assert Callback.objects.filter(mission=taken).exists()


def test_feedback_after_done(client, cast, taken):
    missions.mission_complete(mission=taken, by=cast.helper.user)
    page = client.get(url(taken)).content.decode()
    assert 'name="rating"' in page
    client.post(url(taken, "feedback"), {"rating": "5", "comment": "Lovely lady"})
    feedback = MissionFeedback.objects.get(mission=taken)
    assert (feedback.rating, feedback.comment, feedback.helper) == (5, "Lovely lady", cast.helper)


def test_feedback_before_done_is_refused(client, taken):
    response = client.post(url(taken, "feedback"), {"rating": "5"}, follow=True)
    assert "Feedback can be given once the mission is done." in response.content.decode()
    assert not MissionFeedback.objects.exists()
