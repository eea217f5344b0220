from solidair.missions.models import Mission, State
from solidair.people import demo
from solidair.people.models import Helpee, Helper, RoleKind, User


def test_the_demo_has_everyone_and_missions_in_every_state(db):
    organisation = demo.load()
    assert Helper.objects.filter(organisation=organisation).count() == 200
    assert Helpee.objects.filter(organisation=organisation).count() == 60
    roles = organisation.roles
    assert roles.filter(kind=RoleKind.OPERATOR).count() == 4
    assert roles.filter(kind=RoleKind.MODERATOR).count() == 2
    assert roles.filter(kind=RoleKind.COORDINATOR).count() == 1
    assert set(Mission.objects.values_list("state", flat=True)) == set(State.values)
    assert len({h.postcode for h in Helper.objects.all()}) > 15
    assert {code for h in Helper.objects.all() for code in h.languages} == {"fr", "nl", "en", "de"}


def test_loading_the_demo_twice_duplicates_nothing(db):
    demo.load()
    counts = User.objects.count(), Helpee.objects.count(), Mission.objects.count()
    demo.load()
    assert (User.objects.count(), Helpee.objects.count(), Mission.objects.count()) == counts


def test_every_printed_login_works(client, db):
    demo.load()
    for _role, email in demo.accounts():
        assert client.login(email=email, password=demo.PASSWORD), email
