"""Background jobs. Each takes ids, never objects, and does its work in a service."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskContext, task


@task(takes_context=True)
def deliver_message(context: TaskContext, message_id: int) -> str:
    from solidair.notifications.services import message_deliver

    worker_ids = context.task_result.worker_ids
    return message_deliver(message_id=message_id, worker_id=worker_ids[-1] if worker_ids else "")


@task()
def console_records_purge() -> int:
    """Forget what the console provider 'sent' more than NOTIFICATIONS_CONSOLE_KEEP_DAYS ago."""
    from solidair.notifications.models import ConsoleRecord

    limit = timezone.now() - timedelta(days=settings.NOTIFICATIONS_CONSOLE_KEEP_DAYS)
    deleted, _by_model = ConsoleRecord.objects.filter(created_at__lt=limit).delete()
    return deleted


@task()
def reminders_send() -> int:
    """Periodic: remind helpees the day before and helpers two hours before."""
    from solidair.notifications.messages import reminders_due

    return reminders_due()
