"""What staff see: every message the console provider 'sent', and what failed."""

from solidair.notifications.models import ConsoleRecord, Message, Status
from tests.notifications.conftest import tell


def test_the_console_page_shows_the_voice_message_to_staff(
    cast, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tell(cast.helpee)
    client.force_login(cast.operator)
    page = client.get("/notifications/console/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Sam will come on Monday." in text and "Jeanne" in text


def test_staff_of_another_organisation_see_nothing(
    cast, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tell(cast.helpee)
    client.force_login(cast.outsider)
    assert "Sam will come on Monday." not in client.get("/notifications/console/").content.decode()


def test_a_helper_cannot_see_the_console(cast, client):
    client.force_login(cast.helper.user)
    assert client.get("/notifications/console/").status_code == 403
    assert client.get("/notifications/failed/").status_code == 403


def test_a_coordinator_retries_a_failed_message(cast, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = tell(cast.helpee)
    Message.objects.filter(pk=message.pk).update(status=Status.FAILED, last_error="HTTP 503")
    ConsoleRecord.objects.all().delete()
    client.force_login(cast.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/notifications/failed/messages/{message.pk}/retry/", follow=True)
    assert "will be sent again" in response.content.decode()
    message.refresh_from_db()
    assert (
        message.status == Status.SENT and ConsoleRecord.objects.filter(message=message).count() == 1
    )


def test_a_late_report_about_the_first_try_does_not_fail_the_retry(cast, client):
    from solidair.notifications.services import message_report, message_retry

    message = tell(cast.helpee)
    Message.objects.filter(pk=message.pk).update(
        status=Status.FAILED, provider_message_id="SM" + "1" * 32
    )
    message_retry(message=Message.objects.get(pk=message.pk), by=cast.coordinator)
    assert not message_report(
        message_id=message.pk, provider_message_id="SM" + "1" * 32, status="failed"
    )
    message.refresh_from_db()
    assert message.status == Status.QUEUED
    # The new try's own report still counts, even before its send is recorded.
    assert message_report(
        message_id=message.pk, provider_message_id="SM" + "2" * 32, status="delivered"
    )
    message.refresh_from_db()
    assert (message.status, message.provider_message_id) == ("delivered", "SM" + "2" * 32)


def test_retrying_a_message_that_is_no_longer_failed_says_so(
    cast, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = tell(cast.helpee)
    client.force_login(cast.coordinator)
    response = client.post(f"/notifications/failed/messages/{message.pk}/retry/", follow=True)
    assert "no longer failed" in response.content.decode()
    assert ConsoleRecord.objects.filter(message=message).count() == 1
