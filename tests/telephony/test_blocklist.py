"""Coordinators block abusive numbers: added in E.164 with a reason, refused when the
number is unreadable, blocked twice or given without a reason; removed again. A blocked
number's calls are refused and counted."""

import pytest

from solidair.callcentre.models import Call, CallOutcome
from solidair.telephony.blocklist import blocked
from solidair.telephony.models import BlockedCaller
from tests.conftest import login
from tests.telephony.conftest import CALLER

PAGE = "/telephony/blocked/"


@pytest.fixture
def coordinator(client, cast):
    return login(client, cast.coordinator)


def test_a_coordinator_blocks_a_number_typed_as_people_type_it(coordinator, cast):
    response = coordinator.post(
        PAGE, {"number": "0475 12 34 56", "reason": "Insults the operators"}, follow=True
    )
    assert "Calls from 0475 12 34 56 are now refused." in response.content.decode()
    row = BlockedCaller.objects.get()
    assert (row.organisation, row.number, row.reason, row.added_by) == (
        cast.organisation,
        "+32475123456",
        "Insults the operators",
        cast.coordinator,
    )
    page = coordinator.get(PAGE).content.decode()
    assert "0475 12 34 56" in page and "Insults the operators" in page


def test_an_unreadable_number_is_refused_and_the_reason_kept(coordinator):
    response = coordinator.post(PAGE, {"number": "04751", "reason": "Insults the operators"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "is not a valid phone number" in text and 'value="Insults the operators"' in text
    assert not BlockedCaller.objects.exists()


def test_a_number_blocked_twice_is_refused_with_a_clear_message(coordinator, cast):
    BlockedCaller.objects.create(
        organisation=cast.organisation,
        number=CALLER,
        reason="Prank calls",
        added_by=cast.coordinator,
    )
    response = coordinator.post(PAGE, {"number": "+32 475 12 34 56", "reason": "Again"})
    assert response.status_code == 400
    assert "0475 12 34 56 is already blocked." in response.content.decode()
    assert BlockedCaller.objects.count() == 1


def test_a_reason_is_required(coordinator):
    response = coordinator.post(PAGE, {"number": "0475 12 34 56", "reason": "   "})
    assert response.status_code == 400
    assert not BlockedCaller.objects.exists()


def test_a_foreign_number_can_be_blocked(coordinator):
    coordinator.post(PAGE, {"number": "+44 7911 123456", "reason": "Calls every night"})
    assert BlockedCaller.objects.get().number == "+447911123456"


def test_a_coordinator_unblocks_a_number(coordinator, cast):
    row = BlockedCaller.objects.create(
        organisation=cast.organisation,
        number=CALLER,
        reason="Prank calls",
        added_by=cast.coordinator,
    )
    response = coordinator.post(f"{PAGE}{row.pk}/remove/", follow=True)
    assert "Calls from 0475 12 34 56 are accepted again." in response.content.decode()
    assert not BlockedCaller.objects.exists()


def test_another_organisations_coordinator_neither_sees_nor_removes_the_number(client, cast):
    row = BlockedCaller.objects.create(
        organisation=cast.organisation,
        number=CALLER,
        reason="Prank calls",
        added_by=cast.coordinator,
    )
    login(client, cast.outsider)
    assert "0475 12 34 56" not in client.get(PAGE).content.decode()
    assert client.post(f"{PAGE}{row.pk}/remove/").status_code == 404
    assert BlockedCaller.objects.filter(pk=row.pk).exists()


def test_operators_and_helpers_cannot_keep_the_blocklist(client, cast):
    for person in (cast.operator, cast.helper.user):
        login(client, person)
        assert client.get(PAGE).status_code == 403
        assert client.post(PAGE, {"number": CALLER, "reason": "x"}).status_code == 403
    assert not BlockedCaller.objects.exists()


def test_a_blocked_number_is_refused_and_counted_on_its_organisations_line_only(cast):
    BlockedCaller.objects.create(
        organisation=cast.organisation,
        number=CALLER,
        reason="Prank calls",
        added_by=cast.coordinator,
    )
    assert blocked(cast.organisation, CALLER) is True
    assert blocked(cast.organisation, CALLER) is True
    assert blocked(cast.elsewhere, CALLER) is False
    assert blocked(cast.organisation, "+32475000000") is False
    assert blocked(cast.organisation, "") is False
    assert BlockedCaller.objects.get().calls_refused == 2


def test_the_line_refuses_a_blocked_caller_and_counts_a_retried_call_once(line, provider):
    BlockedCaller.objects.create(
        organisation=line.organisation,
        number=CALLER,
        reason="Prank calls",
        added_by=line.coordinator,
    )
    for _attempt in range(2):  # the provider retries the webhook
        root = provider.twiml("/telephony/voice/incoming/")
        assert [node.tag for node in root] == ["Say", "Hangup"]
    assert BlockedCaller.objects.get().calls_refused == 1
    assert Call.objects.get().outcome == CallOutcome.BLOCKED


def test_the_line_answers_an_unblocked_caller_with_the_menu(line, provider):
    BlockedCaller.objects.create(
        organisation=line.organisation,
        number="+32475000000",
        reason="Prank calls",
        added_by=line.coordinator,
    )
    root = provider.twiml("/telephony/voice/incoming/")
    assert "Gather" in [node.tag for node in root]
    assert BlockedCaller.objects.get().calls_refused == 0
