"""Periodic jobs with no cron: each worker looks for due jobs in the PeriodicJob table,
and exactly one of them claims each due job and enqueues it."""

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from solidair.notifications.models import PeriodicJob

logger = logging.getLogger(__name__)


def periodic_jobs_sync() -> None:
    """Make the table say what settings.PERIODIC_JOBS says."""
    wanted: dict[str, dict[str, Any]] = settings.PERIODIC_JOBS
    PeriodicJob.objects.exclude(name__in=wanted).delete()
    for name, job in wanted.items():
        PeriodicJob.objects.update_or_create(
            name=name,
            defaults={"task_path": str(job["task"]), "every_seconds": int(job["every_seconds"])},
        )


def _run(job: PeriodicJob, now: datetime) -> None:
    # With the database queue, the job row commits together with next_run_at.
    import_string(job.task_path).enqueue()
    logger.info("Periodic job %s enqueued", job.name)


def periodic_jobs_run_due(now: datetime | None = None) -> list[str]:
    """Enqueue every due job once, however many workers call this at the same moment."""
    now = now or timezone.now()
    started = []
    if connection.features.has_select_for_update_skip_locked:  # PostgreSQL
        with transaction.atomic():
            due = PeriodicJob.objects.select_for_update(skip_locked=True).filter(
                next_run_at__lte=now
            )
            for job in due:
                _run(job, now)
                job.last_run_at, job.next_run_at = now, now + timedelta(seconds=job.every_seconds)
                job.save(update_fields=["last_run_at", "next_run_at"])
                started.append(job.name)
        return started
    for job in PeriodicJob.objects.filter(next_run_at__lte=now):  # SQLite: conditional UPDATE
        with transaction.atomic():
            claimed = PeriodicJob.objects.filter(pk=job.pk, next_run_at=job.next_run_at).update(
                last_run_at=now, next_run_at=now + timedelta(seconds=job.every_seconds)
            )
            if claimed:
                _run(job, now)
                started.append(job.name)
    return started
