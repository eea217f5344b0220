from solidair.callcentre.models import HelpeeMerge
from solidair.missions.services import mission_create
from solidair.people.models import Helpee
from tests.conftest import login, make_helpee

NEW = {
    "first_name": "Jeanne",
    "last_name": "Dupont",
    "language": "fr",
    "phone_1": "02 555 12 34",
    "street": "Rue du Bailli",
    "house_number": "12",
    "postcode": "1050",
    "consent": "on",
}


def test_a_known_phone_number_proposes_the_existing_helpee(client, cast):
    login(client, cast.operator)
    page = client.post("/helpees/new/", {**NEW, "first_name": "Jean"}).content.decode()
    assert "This person may already be known" in page
    assert f"/helpees/{cast.helpee.pk}/" in page
    assert Helpee.objects.count() == 1
    client.post("/helpees/new/", {**NEW, "first_name": "Jean", "create_anyway": "1"})
    assert Helpee.objects.count() == 2


def test_the_same_name_and_address_proposes_the_existing_helpee(client, cast):
    login(client, cast.operator)
    page = client.post("/helpees/new/", {**NEW, "phone_1": "0470 55 66 77"}).content.decode()
    assert "This person may already be known" in page


def test_a_moderator_merges_two_helpees_keeping_every_mission_and_history(client, cast):
    twin = make_helpee(cast.organisation, cast.operator, first_name="Jeane", phone="+32470111222")
    kept_mission = mission_create(helpee=cast.helpee, theme=cast.groceries, by=cast.operator)
    moved_mission = mission_create(helpee=twin, theme=cast.groceries, by=cast.operator)
    login(client, cast.operator)
    client.get(f"/helpees/{twin.pk}/")  # an access log entry on the twin
    login(client, cast.moderator)
    client.post(f"/helpees/{cast.helpee.pk}/merge/", {"other": twin.pk, "confirm": "1"})
    assert not Helpee.objects.filter(pk=twin.pk).exists()
    assert set(cast.helpee.missions.all()) == {kept_mission, moved_mission}
    assert moved_mission.events.count() == 2
    assert cast.helpee.access_log.filter(user=cast.operator).exists()
    assert {p.number for p in cast.helpee.phones.all()} == {"+3225551234", "+32470111222"}
    assert HelpeeMerge.objects.get().removed_name == "Jeane Dupont"


def test_an_operator_cannot_merge(client, cast):
    login(client, cast.operator)
    assert client.get(f"/helpees/{cast.helpee.pk}/merge/").status_code == 403


def test_merging_keeps_the_removed_helpee_s_calls_and_messages_and_a_colleague_s_edit(cast):
    from solidair.callcentre.models import Call
    from solidair.callcentre.services import helpee_merge
    from tests.notifications.conftest import tell

    twin = make_helpee(cast.organisation, cast.operator, first_name="Jeane", phone="+32470111222")
    call = Call.objects.create(organisation=cast.organisation, caller="+32470111222", helpee=twin)
    message = tell(twin)
    page_loaded = Helpee.objects.get(pk=cast.helpee.pk)  # the moderator's page
    # Meanwhile a colleague writes a note on the kept card.
    Helpee.objects.filter(pk=cast.helpee.pk).update(notes_for_helpers="Ring twice, loudly")
    Helpee.objects.filter(pk=twin.pk).update(emergency_contact_name="Julie (daughter)")
    helpee_merge(kept=page_loaded, removed=Helpee.objects.get(pk=twin.pk), by=cast.moderator)
    call.refresh_from_db()
    message.refresh_from_db()
    assert call.helpee_id == cast.helpee.pk and message.helpee_id == cast.helpee.pk
    kept = Helpee.objects.get(pk=cast.helpee.pk)
    assert kept.notes_for_helpers == "Ring twice, loudly"  # not overwritten
    assert kept.emergency_contact_name == "Julie (daughter)"  # copied from the twin
