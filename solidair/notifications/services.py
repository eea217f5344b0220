"""Every change to a message: created once per idempotency key, claimed by one sender,
moved forward only, retried with back-off, and handed to the fallback route when the
address cannot receive it."""

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult

from solidair.notifications import tasks
from solidair.notifications.jobs import backoff, enqueue_on_commit
from solidair.notifications.models import Message, QuietHours, Status, statuses_below
from solidair.notifications.providers.base import (
    ProviderError,
    Refused,
    Undeliverable,
    provider_for,
)
from solidair.notifications.recipients import Recipient, Route
from solidair.notifications.selectors import can_manage_jobs, can_manage_messages
from solidair.people.models import User

logger = logging.getLogger(__name__)
# Marks the provider's id of a try that staff retried: its late reports are ignored.
RETRIED = "retried:"


class NotificationError(Exception):
    """A refusal to show to the person who asked, already translated."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _render(text: str | Promise, params: dict[str, Any] | None) -> str:
    return str(text) % params if params is not None else str(text)


def notify(
    *,
    recipient: Recipient,
    key: str,
    body: str | Promise,
    subject: str | Promise = "",
    params: dict[str, Any] | None = None,
    purpose: str = "",
    mission_id: int | None = None,
    urgent: bool = True,
) -> Message | None:
    """Send `body` (gettext text with named placeholders filled from `params`) to
    `recipient` by their best route, the others kept as fallbacks.

    `key` says what the message is about ("mission:12:assigned:helpee"): whoever calls
    again with the same key gets the same message back, and nothing is sent twice.
    A message that is not `urgent` waits for the end of the recipient's quiet hours."""
    if len(key) > 200:
        raise ValueError("an idempotency key is at most 200 characters")
    if not recipient.routes:
        logger.warning("No way to reach %s for %s", recipient, key)
        return None
    with translation.override(recipient.language):
        rendered_subject, rendered_body = _render(subject, params), _render(body, params)
    first, *others = recipient.routes
    return message_send(
        key=key,
        route=first,
        fallbacks=others,
        language=recipient.language,
        subject=rendered_subject,
        body=rendered_body,
        organisation_id=recipient.organisation_id,
        user_id=recipient.user_id,
        helpee_id=recipient.helpee_id,
        purpose=purpose,
        mission_id=mission_id,
        delay=None if urgent else quiet_delay(recipient),
    )


def quiet_delay(recipient: Recipient) -> timedelta | None:
    """How long until the recipient's quiet hours end, if they are in them now."""
    if recipient.user_id is None:
        return None
    quiet = QuietHours.objects.filter(user_id=recipient.user_id).first()
    return quiet.remaining(timezone.localtime()) if quiet else None


def message_send(
    *,
    key: str,
    route: Route,
    fallbacks: list[Route] | list[dict],
    delay: timedelta | None = None,
    **fields: Any,
) -> Message:
    """Create the message for `key` (or return the one already made) and enqueue its
    delivery in the same transaction."""
    with transaction.atomic():
        existing = Message.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                message = Message.objects.create(
                    idempotency_key=key,
                    channel=route.channel,
                    address=route.address,
                    push_subscription_id=route.push_subscription_id,
                    fallbacks=[r if isinstance(r, dict) else r.__dict__ for r in fallbacks],
                    **fields,
                )
        except IntegrityError:  # someone else created it at the same moment
            return Message.objects.get(idempotency_key=key)
        enqueue_on_commit(tasks.deliver_message, message.pk, delay=delay)
    return message


def message_not_delivered(*, message: Message) -> Message | None:
    """This route reached nobody (no answer, undelivered, refused, out of tries): the
    next route; and when none is left for a helpee, a callback, so that an operator
    tells them in person what the message said (who comes, the door code…). Called
    once per message, by whoever moved it to its final status."""
    following = message_fall_back(message=message)
    if following is None and message.helpee_id is not None:
        _operator_tells(message)
    return following


def _operator_tells(message: Message) -> None:
    from solidair.callcentre.models import CallbackKind
    from solidair.callcentre.services import callback_create, first_phone
    from solidair.people.models import Helpee

    helpee = Helpee.objects.select_related("organisation").filter(pk=message.helpee_id or 0).first()
    if helpee is None:
        return
    callback_create(
        organisation=helpee.organisation,
        kind=CallbackKind.NOT_REACHED,
        phone=first_phone(helpee),
        helpee=helpee,
        mission=message.mission if message.mission_id else None,
        reason=message.body[:1000],
    )


def message_fall_back(*, message: Message) -> Message | None:
    """The next route of an undeliverable message, as a message of its own."""
    if not message.fallbacks:
        return None
    route, *others = message.fallbacks
    return message_send(
        key=f"{message.idempotency_key}>{len(message.fallbacks)}",
        route=Route(**route),
        fallbacks=others,
        fallback_of=message,
        language=message.language,
        subject=message.subject,
        body=message.body,
        organisation_id=message.organisation_id,
        user_id=message.user_id,
        helpee_id=message.helpee_id,
        purpose=message.purpose,
        mission_id=message.mission_id,
    )


def _finish(message: Message, worker_id: str, status: str, error: str) -> bool:
    return bool(
        Message.objects.filter(pk=message.pk, status=Status.SENDING, claimed_by=worker_id).update(
            status=status, last_error=error[:2000], updated_at=timezone.now()
        )
    )


def message_deliver(*, message_id: int, worker_id: str) -> str:
    """Send a queued message once. Run twice, or after another run, it does nothing:
    only the run whose conditional UPDATE moves it from queued to sending may send."""
    now = timezone.now()
    claimed = Message.objects.filter(pk=message_id, status=Status.QUEUED).update(
        status=Status.SENDING, claimed_by=worker_id, tries=F("tries") + 1, updated_at=now
    )
    if not claimed:
        return "not queued"
    message = Message.objects.select_related("push_subscription").get(pk=message_id)
    try:
        provider_message_id = provider_for(message.channel).send(message)
    except Undeliverable as error:
        with transaction.atomic():
            if _finish(message, worker_id, Status.UNDELIVERABLE, str(error)):
                message_not_delivered(message=message)
        return "undeliverable"
    except ProviderError as error:
        if message.tries >= settings.NOTIFICATIONS_MAX_TRIES:
            with transaction.atomic():
                if _finish(message, worker_id, Status.FAILED, str(error)):
                    message_not_delivered(message=message)
            return "failed"
        with transaction.atomic():
            if _finish(message, worker_id, Status.QUEUED, str(error)):
                enqueue_on_commit(tasks.deliver_message, message.pk, delay=backoff(message.tries))
        return "retry"
    except Refused as error:
        with transaction.atomic():
            if _finish(message, worker_id, Status.FAILED, str(error)):
                message_not_delivered(message=message)
        return "failed"
    except Exception as error:  # a bug: the message is failed and shown, the job too
        _finish(message, worker_id, Status.FAILED, f"{type(error).__name__}: {error}")
        raise
    except BaseException:  # the worker is stopped mid-send: back in the queue, not stuck
        with transaction.atomic():
            if Message.objects.filter(
                pk=message.pk, status=Status.SENDING, claimed_by=worker_id
            ).update(
                status=Status.QUEUED,
                claimed_by="",
                last_error="interrupted while sending",
                updated_at=timezone.now(),
            ):  # this job ends here: another one sends it
                enqueue_on_commit(tasks.deliver_message, message.pk)
        raise
    sent = Message.objects.filter(pk=message.pk, status=Status.SENDING, claimed_by=worker_id)
    if not sent.update(
        status=Status.SENT,
        provider_message_id=provider_message_id,
        sent_at=timezone.now(),
        last_error="",
        updated_at=timezone.now(),
    ):  # a delivery report overtook us
        Message.objects.filter(pk=message.pk).filter(
            Q(provider_message_id="") | Q(provider_message_id__startswith=RETRIED)
        ).update(provider_message_id=provider_message_id, sent_at=timezone.now())
    return "sent"


def message_report(
    *, message_id: int, provider_message_id: str, status: str, error: str = ""
) -> bool:
    """A delivery report from the provider. Moves the status forward only, so a report
    arriving twice or after a later one changes nothing; returns whether it moved."""
    with transaction.atomic():
        changes: dict[str, Any] = {"status": status, "updated_at": timezone.now()}
        if error:
            changes["last_error"] = error
        # This send's id, or none recorded yet (the report overtook the send); after a
        # retry, any id but the one of the try that was retried.
        this_send = Q(provider_message_id__in=[provider_message_id, ""]) | Q(
            provider_message_id__startswith=RETRIED
        ) & ~Q(provider_message_id=RETRIED + provider_message_id)
        moved = Message.objects.filter(
            this_send, pk=message_id, status__in=statuses_below(status)
        ).update(provider_message_id=provider_message_id, **changes)
        if moved and status in (Status.UNDELIVERABLE, Status.FAILED):
            message_not_delivered(message=Message.objects.get(pk=message_id))
    return bool(moved)


def message_retry(*, message: Message, by: User) -> Message:
    """Staff send a failed message again, from the first try."""
    if not can_manage_messages(by, message):
        raise NotificationError(_("You are not allowed to retry this message."))
    with transaction.atomic():
        if not Message.objects.filter(pk=message.pk, status=Status.FAILED).update(
            status=Status.QUEUED,
            tries=0,
            claimed_by="",
            # A late report about the first try must not fail the new one.
            provider_message_id=Concat(Value(RETRIED), F("provider_message_id")),
            updated_at=timezone.now(),
        ):
            raise NotificationError(_("This message is no longer failed: nothing to retry."))
        enqueue_on_commit(tasks.deliver_message, message.pk)
    message.refresh_from_db()
    return message


def job_retry(*, job_id: str, by: User) -> None:
    """Staff run a failed background job again, with the same arguments."""
    if not can_manage_jobs(by):
        raise NotificationError(_("You are not allowed to retry background jobs."))
    with transaction.atomic():
        job = DBTaskResult.objects.select_for_update().filter(pk=job_id, status="FAILED").first()
        if job is None:
            raise NotificationError(_("This job is no longer failed: nothing to retry."))
        arguments = job.args_kwargs
        enqueue_on_commit(import_string(job.task_path), *arguments["args"], **arguments["kwargs"])
        job.delete()  # the new job replaces it
