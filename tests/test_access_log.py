from tests.conftest import login


def test_each_view_of_a_helpee_s_details_is_logged(client, cast):
    login(client, cast.operator)
    client.get(f"/helpees/{cast.helpee.pk}/")
    client.get(f"/helpees/{cast.helpee.pk}/")
    assert cast.helpee.access_log.filter(user=cast.operator).count() == 2
    assert cast.helpee.access_log.first().page == f"/helpees/{cast.helpee.pk}/"


def test_a_coordinator_reads_the_log_per_helpee(client, cast):
    login(client, cast.operator)
    client.get(f"/helpees/{cast.helpee.pk}/")
    login(client, cast.coordinator)
    page = client.get(f"/helpees/{cast.helpee.pk}/access-log/").content.decode()
    assert "Operator" in page and f"/helpees/{cast.helpee.pk}/" in page


def test_an_operator_cannot_read_the_log(client, cast):
    login(client, cast.operator)
    assert client.get(f"/helpees/{cast.helpee.pk}/access-log/").status_code == 403


def test_a_coordinator_of_another_organisation_cannot_read_the_log(client, cast):
    login(client, cast.outsider)
    assert client.get(f"/helpees/{cast.helpee.pk}/access-log/").status_code == 404


def _logged(helpee, user):
    return list(helpee.access_log.filter(user=user).values_list("page", flat=True))


def test_the_callback_page_and_the_door_placing_page_are_logged(client, cast):
    from solidair.callcentre import services

    callback = services.callback_create(
        organisation=cast.organisation, kind="missed", phone="+3225551234", helpee=cast.helpee
    )
    login(client, cast.operator)
    client.get(f"/callbacks/{callback.pk}/")
    client.get(f"/helpees/{cast.helpee.pk}/place/")
    assert _logged(cast.helpee, cast.operator) == [
        f"/helpees/{cast.helpee.pk}/place/",
        f"/callbacks/{callback.pk}/",
    ]


def test_merging_logs_every_helpee_whose_address_is_shown(client, cast):
    from tests.conftest import make_helpee

    twin = make_helpee(cast.organisation, cast.operator, first_name="Jeane", phone="+3225559999")
    login(client, cast.moderator)
    client.get(f"/helpees/{cast.helpee.pk}/merge/?q=Dupont")
    assert _logged(cast.helpee, cast.moderator) and _logged(twin, cast.moderator)


def test_possible_duplicates_shown_at_intake_are_logged(client, cast):
    login(client, cast.operator)
    from tests.callcentre.test_duplicates_and_merge import NEW

    client.post("/helpees/new/", NEW)  # the same person as the cast's Jeanne Dupont
    assert _logged(cast.helpee, cast.operator) == ["/helpees/new/"]
