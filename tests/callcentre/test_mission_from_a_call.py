from solidair.missions.models import Mission, Theme

BASE = {"timing": "asap", "urgency": "normal", "recurrence": "none", "submission_token": "x1"}


def post(client, cast, theme_key, **fields):
    from tests.conftest import login

    login(client, cast.operator)
    theme = Theme.objects.get(key=theme_key)
    return client.post(
        f"/helpees/{cast.helpee.pk}/missions/new/", {**BASE, "theme": theme.pk, **fields}
    )


def test_a_dog_walk_keeps_the_dog_and_drops_details_of_other_themes(client, cast):
    post(
        client,
        cast,
        "dog-walking",
        dog_name="Rex",
        dog_size="large",
        dog_temperament="pulls",
        shopping_list="should not stay",
        spending_cap="20",
    )
    mission = Mission.objects.get()
    assert (mission.dog_name, mission.dog_size) == ("Rex", "large")
    assert (mission.shopping_list, mission.spending_cap) == ("", None)


def test_a_pharmacy_run_asks_for_pick_up_details_only(client, cast):
    page = post(client, cast, "pharmacy").content.decode()
    assert "Please fill this in for this theme." in page
    assert "Never write the name of a medicine" in page
    post(client, cast, "pharmacy", pickup_details="Pharmacie du Bailli, after 14:00")
    assert Mission.objects.get().pickup_details.startswith("Pharmacie du Bailli")


def test_the_same_mission_form_submitted_twice_makes_one_mission(client, cast):
    post(client, cast, "phone-support", call_times="mornings")
    post(client, cast, "phone-support", call_times="mornings")
    assert Mission.objects.count() == 1
