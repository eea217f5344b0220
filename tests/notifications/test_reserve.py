from solidair.notifications.models import ConsoleRecord, ReserveWake
from tests.conftest import login


def give_phones(cast):
    for n, helper in enumerate((cast.helper, cast.other_helper)):
        helper.user.phone = f"+3247000000{n}"
        helper.user.save()


def test_the_coordinator_sees_the_count_and_text_before_sending(client, cast):
    give_phones(cast)
    login(client, cast.coordinator)
    page = client.post("/notifications/reserve/", {"postcode": "1050", "radius_km": 5})
    text = page.content.decode()
    assert "2 helpers will receive" in text and "Ixelles" in text
    assert not ConsoleRecord.objects.exists() and not ReserveWake.objects.exists()


def test_sending_wakes_each_helper_once_by_sms_and_is_rate_limited(
    client, cast, django_capture_on_commit_callbacks
):
    give_phones(cast)
    login(client, cast.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/notifications/reserve/", {"postcode": "1050", "radius_km": 5, "confirm": "1"})
    assert ConsoleRecord.objects.filter(channel="sms").count() == 2
    response = client.post(
        "/notifications/reserve/",
        {"postcode": "1050", "radius_km": 5, "confirm": "1"},
        follow=True,
    )
    assert "The reserve was woken less than 6 hours ago" in response.content.decode()
    assert ReserveWake.objects.count() == 1 and ConsoleRecord.objects.count() == 2


def test_an_unknown_postcode_is_told(client, cast):
    login(client, cast.coordinator)
    page = client.post("/notifications/reserve/", {"postcode": "1001", "radius_km": 5})
    assert "We do not know this postcode." in page.content.decode()


def test_an_operator_cannot_wake_the_reserve(client, cast):
    login(client, cast.operator)
    assert client.get("/notifications/reserve/").status_code == 403
