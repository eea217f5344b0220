"""Periodic jobs with no cron, and the jobs of dead workers handed back to the queue."""

from datetime import timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from solidair.notifications import tasks
from solidair.notifications.models import (
    ConsoleRecord,
    Message,
    PeriodicJob,
    Status,
    WorkerHeartbeat,
)
from solidair.notifications.scheduler import periodic_jobs_run_due, periodic_jobs_sync
from solidair.notifications.workers import dead_workers_reap
from tests.notifications.conftest import tell


def test_a_due_periodic_job_runs_once_however_many_workers_look(
    cast, django_capture_on_commit_callbacks, settings
):
    settings.PERIODIC_JOBS = {
        "purge_console_records": settings.PERIODIC_JOBS["purge_console_records"]
    }
    with django_capture_on_commit_callbacks(execute=True):
        tell(cast.helpee)
    ConsoleRecord.objects.update(created_at=timezone.now() - timedelta(days=30))
    periodic_jobs_sync()
    assert periodic_jobs_run_due() == ["purge_console_records"]
    assert periodic_jobs_run_due() == []
    assert not ConsoleRecord.objects.exists()
    job = PeriodicJob.objects.get(name="purge_console_records")
    assert job.next_run_at > timezone.now() + timedelta(hours=5)


def test_recent_console_records_are_kept(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tell(cast.helpee)
    tasks.console_records_purge.enqueue()
    assert ConsoleRecord.objects.count() == 1


def test_the_jobs_of_a_silent_worker_run_again(cast, settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    message = tell(cast.helpee)
    job = DBTaskResult.objects.get()
    job.claim("dead-worker")
    Message.objects.filter(pk=message.pk).update(status=Status.SENDING, claimed_by="dead-worker")
    WorkerHeartbeat.objects.create(worker_id="dead-worker", hostname="h", pid=1)
    WorkerHeartbeat.objects.create(worker_id="alive-worker", hostname="h", pid=2)
    assert dead_workers_reap() == 0  # both seen just now

    WorkerHeartbeat.objects.filter(worker_id="dead-worker").update(
        seen_at=timezone.now() - timedelta(minutes=5)
    )
    assert dead_workers_reap() == 1
    job.refresh_from_db()
    message.refresh_from_db()
    assert job.status == "READY" and message.status == Status.QUEUED
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["alive-worker"]


def test_a_periodic_job_that_cannot_be_imported_does_not_stop_the_heartbeat(db, monkeypatch):
    from solidair.notifications import workers
    from solidair.notifications.models import WorkerHeartbeat

    def broken(now=None):
        raise ImportError("No module named 'solidair.gone'")

    monkeypatch.setattr(workers, "periodic_jobs_run_due", broken)
    # In its own thread the pulse closes its connections; here it would close the test's.
    monkeypatch.setattr(workers.connections, "close_all", lambda: None)
    pulse = workers.Pulse("worker-a")
    pulse.beat()  # logs, does not raise: the thread goes on
    pulse.beat()
    assert WorkerHeartbeat.objects.filter(worker_id="worker-a").exists()


def test_a_worker_stopped_mid_send_puts_the_message_back_in_the_queue(
    cast, monkeypatch, django_capture_on_commit_callbacks
):
    import pytest

    from solidair.notifications import services
    from solidair.notifications.models import Message, Status

    message = tell(cast.helpee)

    class Interrupted:
        def send(self, message):
            raise KeyboardInterrupt

    monkeypatch.setattr(services, "provider_for", lambda channel: Interrupted())
    with django_capture_on_commit_callbacks() as enqueued, pytest.raises(KeyboardInterrupt):
        services.message_deliver(message_id=message.pk, worker_id="worker-a")
    message.refresh_from_db()
    assert (message.status, message.claimed_by) == (Status.QUEUED, "")
    assert Message.objects.count() == 1
    assert len(enqueued) == 1  # a new delivery job, as the interrupted one is over
