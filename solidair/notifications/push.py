"""Web Push subscriptions: one per browser, kept per user."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.http import HttpRequest

from solidair.notifications.models import PushSubscription
from solidair.people.models import User

SESSION_KEY = "push_subscription_id"


def push_subscription_forget(request: HttpRequest) -> None:
    """At logout: the subscription this browser made in this session is deleted."""
    pk = request.session.get(SESSION_KEY)
    if pk is not None and request.user.is_authenticated:
        PushSubscription.objects.filter(pk=pk, user_id=request.user.pk).delete()


def push_subscription_save(
    *, user: User, endpoint: str, p256dh: str, auth: str, user_agent: str = ""
) -> PushSubscription:
    """Remember `user`'s browser. A browser passed to another account follows it."""
    try:
        URLValidator(schemes=["https"])(endpoint)
    except ValidationError:
        raise ValueError("a push endpoint is an https address") from None
    if not (p256dh and auth) or len(p256dh) > 200 or len(auth) > 100:
        raise ValueError("push keys missing or too long")
    subscription, _created = PushSubscription.objects.update_or_create(
        endpoint=endpoint,
        defaults={"user": user, "p256dh": p256dh, "auth": auth, "user_agent": user_agent[:300]},
    )
    return subscription
