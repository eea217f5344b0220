"""Web Push to a helper's phone, signed with the VAPID keys from `solidair vapid`."""

import json

import requests
from django.conf import settings
from pywebpush import WebPushException, webpush

from solidair.notifications.models import Message, PushSubscription
from solidair.notifications.providers.base import ProviderError, Refused, Undeliverable

EXPIRED = {404, 410}  # the push service forgot this subscription: it will never work again


class WebPushProvider:
    def send(self, message: Message) -> str:
        subscription = message.push_subscription
        if subscription is None:
            raise Undeliverable("the push subscription was removed")
        if subscription.user_id != message.user_id:
            # The browser passed to another account since: not theirs to read.
            raise Undeliverable("the push subscription now belongs to another account")
        payload = {"title": message.subject, "body": message.body, "url": settings.SITE_URL}
        try:
            webpush(
                subscription_info=subscription.as_subscription_info(),
                data=json.dumps(payload, ensure_ascii=False),
                vapid_private_key=settings.VAPID_PRIVATE_KEY,
                vapid_claims={"sub": settings.VAPID_SUBJECT},
                timeout=10,
                ttl=24 * 3600,
            )
        except WebPushException as error:
            status = error.response.status_code if error.response is not None else None
            if status in EXPIRED:
                PushSubscription.objects.filter(pk=subscription.pk).delete()
                raise Undeliverable(f"HTTP {status}: subscription expired") from error
            if status is None or status >= 500 or status == 429:
                raise ProviderError(str(error)) from error
            raise Refused(str(error)) from error
        except requests.RequestException as error:
            raise ProviderError(f"{type(error).__name__}: {error}") from error
        return f"push-{message.pk}"
