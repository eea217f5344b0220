import datetime

from django.utils import timezone

from solidair.callcentre.models import PlannedShift, Shift
from tests.conftest import login


def test_an_operator_starts_and_ends_a_shift(client, cast):
    login(client, cast.operator)
    client.post("/operator/shift/start/", {"languages": ["nl", "fr"], "phone": "0470 99 88 77"})
    shift = Shift.objects.get(operator=cast.operator)
    assert (shift.languages, shift.phone, shift.ended_at) == (["fr", "nl"], "+32470998877", None)
    page = client.get("/operator/").content.decode()
    assert "On shift since" in page
    client.post("/operator/shift/end/")
    shift.refresh_from_db()
    assert shift.ended_at is not None


def test_a_shift_with_a_bad_phone_number_is_refused_with_the_message(client, cast):
    login(client, cast.operator)
    page = client.post(
        "/operator/shift/start/", {"languages": ["fr"], "phone": "1234"}
    ).content.decode()
    assert "is not a valid phone number" in page
    assert not Shift.objects.exists()


def test_a_coordinator_plans_hours_and_sees_the_language_gaps(client, cast):
    login(client, cast.coordinator)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    client.post(
        "/rota/",
        {"operator": cast.operator.pk, "day": tomorrow.isoformat(), "from_hour": 9, "to_hour": 12},
    )
    assert PlannedShift.objects.filter(operator=cast.operator).count() == 3
    page = client.get("/rota/").content.decode()
    assert "Operator" in page  # the planned operator's name
    assert "nobody for" in page and "NL" in page  # the operator speaks English only


def test_the_coordinator_sees_who_is_on_shift_now(client, cast):
    Shift.objects.create(
        organisation=cast.organisation, operator=cast.operator, languages=["fr"], phone="+3224"
    )
    login(client, cast.coordinator)
    assert "Operator" in client.get("/coordinator/").content.decode()


def test_an_operator_cannot_plan_the_rota(client, cast):
    login(client, cast.operator)
    assert client.get("/rota/").status_code == 403


def test_a_coordinator_keeps_the_help_lines_that_operators_refer_to(client, cast):
    from solidair.callcentre.models import HelpLine

    login(client, cast.coordinator)
    client.post("/help-lines/", {"name": "Télé-Accueil", "phone": "107", "description": "24h"})
    line = HelpLine.objects.get()
    assert line.organisation == cast.organisation
    login(client, cast.operator)
    assert "Télé-Accueil" in client.get("/listening/new/").content.decode()
    assert client.get("/help-lines/").status_code == 403
    login(client, cast.outsider)
    assert "Télé-Accueil" not in client.get("/listening/new/").content.decode()


def test_an_operator_removing_a_planned_hour_gets_a_404_not_a_crash(client, cast):
    planned = PlannedShift.objects.create(
        organisation=cast.organisation,
        operator=cast.operator,
        starts_at=timezone.now() + datetime.timedelta(days=1),
    )
    login(client, cast.operator)
    assert client.post(f"/rota/{planned.pk}/remove/").status_code == 404
    assert PlannedShift.objects.filter(pk=planned.pk).exists()


def test_ending_a_call_never_sends_the_operator_to_another_site(client, cast):
    from solidair.callcentre.models import Call

    call = Call.objects.create(organisation=cast.organisation, operator=cast.operator)
    login(client, cast.operator)
    response = client.post(
        f"/calls/{call.pk}/end/", {"outcome": "", "next": "https://evil.example/x"}
    )
    assert response["Location"] == "/operator/"
    response = client.post(f"/calls/{call.pk}/end/", {"outcome": "", "next": "/callbacks/"})
    assert response["Location"] == "/callbacks/"
