"""Real `solidair worker` processes on PostgreSQL: several at once never run a job
twice, and a worker killed in the middle of a job loses nothing."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from solidair.notifications.models import ConsoleRecord, Message, Status
from tests.notifications.conftest import tell

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs DATABASE_URL=postgres://"),
]

ROOT = Path(__file__).resolve().parents[2]


def database_url():
    db = connection.settings_dict
    credentials = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(delay_ms=0):
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "SOLIDAIR_TASKS_BACKEND": "database",
        "NOTIFICATIONS_PROVIDER": "console",
        "NOTIFICATIONS_CONSOLE_DELAY_MS": str(delay_ms),
        "WORKER_HEARTBEAT_SECONDS": "1",
        "WORKER_DEAD_AFTER_SECONDS": "3",
    }
    command = [sys.executable, "-m", "solidair", "worker", "--interval", "0.1"]
    command += ["--no-startup-delay", "--verbosity", "0"]
    return subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603


def wait_for(condition, seconds=40):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    raise AssertionError("waited in vain")


def stop(*workers):
    for worker in workers:
        if worker.poll() is None:
            worker.terminate()
    for worker in workers:
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_two_workers_never_run_a_job_twice(cast, database_queue):
    messages = [tell(cast.helpee, key=f"rush:{i}") for i in range(30)]
    workers = [start_worker(delay_ms=150), start_worker(delay_ms=150)]
    try:
        wait_for(lambda: Message.objects.filter(status=Status.SENT).count() == 30)
    finally:
        stop(*workers)
    for message in messages:
        assert ConsoleRecord.objects.filter(message=message).count() == 1
    jobs = DBTaskResult.objects.filter(task_path__endswith="deliver_message")
    assert [len(job.worker_ids) for job in jobs] == [1] * 30
    assert len({job.worker_ids[0] for job in jobs}) == 2, "both workers took jobs"


def test_a_worker_killed_in_the_middle_of_a_job_is_replaced_and_the_message_sent_once(
    cast, database_queue
):
    message = tell(cast.helpee)
    doomed = start_worker(delay_ms=60_000)  # stuck in the provider call
    try:
        wait_for(lambda: Message.objects.get(pk=message.pk).status == Status.SENDING)
        os.kill(doomed.pid, signal.SIGKILL)
        doomed.wait(timeout=10)
    finally:
        stop(doomed)
    assert not ConsoleRecord.objects.exists()
    job = DBTaskResult.objects.get(task_path__endswith="deliver_message")
    assert job.status == "RUNNING"  # as the dead worker left it

    rescuers = [start_worker(), start_worker()]
    try:
        wait_for(lambda: Message.objects.get(pk=message.pk).status == Status.SENT)
        time.sleep(3)  # time enough for a second, wrongful, send
    finally:
        stop(*rescuers)
    assert ConsoleRecord.objects.filter(message=message).count() == 1
    job.refresh_from_db()
    assert job.status == "SUCCESSFUL" and len(job.worker_ids) == 2
    message.refresh_from_db()
    assert message.tries == 2
