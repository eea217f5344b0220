"""What keeps workers honest with each other: each says it is alive every few seconds;
the jobs and messages of a worker that fell silent (killed, machine lost) are handed
back to the queue, so another worker runs them again."""

import logging
import os
import signal
import socket
import subprocess
import sys
import threading
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.models import DBTaskResult

from solidair.notifications.models import Message, Status, WorkerHeartbeat
from solidair.notifications.scheduler import periodic_jobs_run_due

logger = logging.getLogger(__name__)


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(6)}"


def heartbeat(worker_id: str) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"seen_at": timezone.now(), "hostname": socket.gethostname(), "pid": os.getpid()},
    )


def dead_workers_reap(now: datetime | None = None) -> int:
    """Put the running jobs and the messages being sent by dead workers back in the
    queue; return how many jobs will run again."""
    limit = (now or timezone.now()) - timedelta(seconds=settings.WORKER_DEAD_AFTER_SECONDS)
    dead = set(
        WorkerHeartbeat.objects.filter(seen_at__lt=limit).values_list("worker_id", flat=True)
    )
    if not dead:
        return 0
    revived = 0
    with transaction.atomic():
        Message.objects.filter(status=Status.SENDING, claimed_by__in=dead).update(
            status=Status.QUEUED, claimed_by="", updated_at=timezone.now()
        )
        for job in DBTaskResult.objects.running().only("id", "worker_ids", "started_at"):
            if job.worker_ids and job.worker_ids[-1] in dead:
                revived += DBTaskResult.objects.filter(
                    pk=job.pk, status="RUNNING", started_at=job.started_at
                ).update(status="READY", started_at=None)
        WorkerHeartbeat.objects.filter(worker_id__in=dead).delete()
    if revived:
        logger.warning("%d job(s) of dead workers %s will run again", revived, sorted(dead))
    return revived


class Pulse(threading.Thread):
    """Beside the worker loop: heartbeat, reaping and periodic jobs, every few seconds."""

    def __init__(self, worker_id: str, parent_pid: int | None = None):
        super().__init__(name="solidair-pulse", daemon=True)
        self.worker_id = worker_id
        self.parent_pid = parent_pid
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(settings.WORKER_HEARTBEAT_SECONDS):
            self.beat()

    def beat(self) -> None:
        if self.parent_pid is not None and os.getppid() != self.parent_pid:
            logger.warning("The server that started this worker stopped: stopping too.")
            os.kill(os.getpid(), signal.SIGTERM)
            return
        try:
            heartbeat(self.worker_id)
            dead_workers_reap()
            periodic_jobs_run_due()
        except Exception:  # the database away, a periodic job that cannot be imported…
            # …never ends the pulse: without it the heartbeat stops and other workers
            # would take this one for dead and run its jobs a second time.
            logger.exception("Worker pulse failed; trying again in a moment")
        finally:
            connections.close_all()

    def stop(self) -> None:
        self.stopping.set()
        try:
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
        except DatabaseError:
            logger.exception("Could not remove this worker's heartbeat")


class WorkerProcess:
    """A `solidair worker` started beside the web server of `solidair demo`/`serve`,
    stopped with it."""

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "WorkerProcess":
        if settings.SOLIDAIR_TASKS_BACKEND == "database":
            command = [sys.executable, "-m", "solidair", "worker"]
            command += ["--stop-with-parent", str(os.getpid()), "--verbosity", "0"]
            # In a session of its own: Ctrl+C in the terminal reaches the server only,
            # which then stops the worker once, after its current job.
            self.process = subprocess.Popen(command, start_new_session=True)  # noqa: S603
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
