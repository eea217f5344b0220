"""`solidair worker`: runs background jobs (django-tasks-db's worker loop) and, beside
it, the heartbeat, the reaping of dead workers' jobs and the periodic jobs.

Run as many as needed: each job is claimed by one worker only (SELECT … FOR UPDATE
SKIP LOCKED on PostgreSQL, an exclusive transaction on SQLite)."""

from argparse import ArgumentParser

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from solidair.notifications.scheduler import periodic_jobs_sync
from solidair.notifications.workers import Pulse, heartbeat, new_worker_id


class Command(DatabaseWorkerCommand):
    help = "Run background jobs and periodic jobs. Several may run at once."

    def add_arguments(self, parser: ArgumentParser) -> None:  # type: ignore[override]
        super().add_arguments(parser)
        parser.set_defaults(reload=False, worker_id=new_worker_id())
        parser.add_argument(
            "--stop-with-parent",
            type=int,
            default=None,
            metavar="PID",
            help="Stop when process PID (the web server that started this worker) stops.",
        )

    def handle(self, *args, worker_id: str, stop_with_parent: int | None, **options) -> None:  # type: ignore[override]
        heartbeat(worker_id)
        periodic_jobs_sync()
        pulse = Pulse(worker_id, parent_pid=stop_with_parent)
        pulse.start()
        try:
            super().handle(*args, worker_id=worker_id, **options)
        finally:
            pulse.stop()
