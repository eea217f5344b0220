"""Who sees what of the outbox: staff of the message's organisation, scoped as always."""

from django.db.models import QuerySet
from django_tasks_db.models import DBTaskResult

from solidair.notifications.models import ConsoleRecord, Message, Status
from solidair.people.models import STAFF_ROLES, RoleKind, User
from solidair.people.selectors import staff_organisation_ids

MANAGERS = (RoleKind.COORDINATOR, RoleKind.ADMIN)


def can_manage_messages(user: User, message: Message) -> bool:
    if user.is_superuser:
        return True
    return message.organisation_id in staff_organisation_ids(user, MANAGERS)


def can_manage_jobs(user: User) -> bool:
    return user.is_superuser or bool(staff_organisation_ids(user, (RoleKind.ADMIN,)))


def messages_visible_to(user: User, kinds: tuple[str, ...] = STAFF_ROLES) -> QuerySet[Message]:
    if user.is_superuser:
        return Message.objects.all()
    return Message.objects.filter(organisation_id__in=staff_organisation_ids(user, kinds))


def console_records_visible_to(user: User) -> QuerySet[ConsoleRecord]:
    messages = messages_visible_to(user)
    return ConsoleRecord.objects.filter(message__in=messages).select_related("message")


def failed_messages_visible_to(user: User) -> QuerySet[Message]:
    return messages_visible_to(user, MANAGERS).filter(status=Status.FAILED)


def failed_jobs() -> QuerySet[DBTaskResult]:
    return DBTaskResult.objects.failed().order_by("-finished_at")
