"""How jobs are enqueued and retried: by id, never before the change that caused them is
committed, and later and later after each failure, up to a cap."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks.base import Task
from django_tasks_db import DatabaseBackend


def backoff(tries: int) -> timedelta:
    """The wait after the `tries`-th failure: base, 2×base, 4×base … at most the cap."""
    seconds = settings.NOTIFICATIONS_RETRY_BASE_SECONDS * 2 ** max(tries - 1, 0)
    return timedelta(seconds=min(settings.NOTIFICATIONS_RETRY_CAP_SECONDS, seconds))


def enqueue_on_commit(
    task: Task, *args: Any, delay: timedelta | None = None, **kwargs: Any
) -> None:
    """Enqueue `task` so that it runs only if the current transaction commits.

    With the database queue the job row is written inside the transaction itself: it
    commits or rolls back with the change, so a crash right after the commit cannot
    lose it. Other backends (the immediate one in tests) enqueue on commit."""
    backend = task.get_backend()
    if delay is not None and backend.supports_defer:
        task = task.using(run_after=timezone.now() + delay)
    if isinstance(backend, DatabaseBackend):
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(lambda: task.enqueue(*args, **kwargs))
