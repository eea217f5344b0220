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
