"""The help line's records in Django's admin: settings, hours and numbers are kept
there too; rings are a log, read only."""

import pytest

from solidair.people.models import User
from tests.telephony.conftest import caller_waits, operator_on_shift


@pytest.fixture
def superuser(client):
    user = User.objects.create_superuser("root@example.org", "a-long-test-password")
    client.force_login(user)
    return client


def test_the_admin_lists_the_line_s_records(line, provider, superuser):
    operator_on_shift(line, "bram", ["fr"], phone="+32470000002")
    caller_waits(provider, language="fr")
    for model in ("linesettings", "openinghours", "linenumber", "ring"):
        assert superuser.get(f"/admin/telephony/{model}/").status_code == 200
    assert "Bram" in superuser.get("/admin/telephony/ring/").content.decode()
    assert superuser.get("/admin/telephony/ring/add/").status_code == 403
