"""Web Push: subscriptions per user, the installable site, and expired subscriptions."""

import base64
import json
import os

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import Client

from solidair.notifications.models import Message, PushSubscription, Status
from solidair.notifications.recipients import recipient_for_user
from solidair.notifications.services import notify
from tests.notifications.conftest import http_response


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def browser_keys():
    key = ec.generate_private_key(ec.SECP256R1())
    point = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return {"p256dh": b64(point), "auth": b64(os.urandom(16))}


@pytest.fixture
def vapid(settings):
    key = ec.generate_private_key(ec.SECP256R1())
    settings.VAPID_PRIVATE_KEY = b64(key.private_numbers().private_value.to_bytes(32, "big"))
    settings.VAPID_PUBLIC_KEY = "public"


def subscribe(client, user, endpoint="https://push.example.net/send/abc"):
    client.force_login(user)
    return Client.post(  # a JSON body, with the CSRF token in the header as push.js sends it
        client,
        "/notifications/push/subscribe/",
        json.dumps({"endpoint": endpoint, "keys": browser_keys()}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=client.token,
    )


def test_a_helper_subscribes_this_phone(cast, client):
    assert subscribe(client, cast.helper.user).status_code == 200
    assert PushSubscription.objects.get().user == cast.helper.user


def test_logging_out_stops_this_phone_s_notifications_and_only_this_one_s(cast, client):
    """A family phone: after the helper logs out, reminders with a helpee's address and
    door code no longer reach it. Their own phone, subscribed elsewhere, still does."""
    own_phone = PushSubscription.objects.create(
        user=cast.helper.user,
        endpoint="https://push.example.net/send/own",
        p256dh="k",
        auth="a",
    )
    subscribe(client, cast.helper.user, endpoint="https://push.example.net/send/family")
    assert client.post("/accounts/logout/").status_code == 302
    assert list(PushSubscription.objects.values_list("pk", flat=True)) == [own_phone.pk]


def test_a_subscription_that_cannot_be_read_is_refused_with_a_message(cast, client):
    client.force_login(cast.helper.user)
    response = Client.post(
        client,
        "/notifications/push/subscribe/",
        json.dumps({"endpoint": "http://not-https.example"}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=client.token,
    )
    assert response.status_code == 400 and "error" in response.json()
    assert not PushSubscription.objects.exists()


def test_a_helper_is_told_by_push_first(
    cast, client, vapid, http, django_capture_on_commit_callbacks
):
    subscribe(client, cast.helper.user)
    http.answer(http_response(201))
    with django_capture_on_commit_callbacks(execute=True):
        message = notify(
            recipient=recipient_for_user(cast.helper.user), key="offer:1", body="A mission near you"
        )
    message.refresh_from_db()
    assert (message.channel, message.status) == ("push", Status.SENT)
    assert http.posts_to("/send/abc")[0].headers["Authorization"].startswith("vapid ")


def test_an_expired_subscription_is_removed_and_the_fallback_used(
    cast, client, vapid, http, django_capture_on_commit_callbacks, mailoutbox
):
    subscribe(client, cast.helper.user)
    http.answer(http_response(410, {"reason": "expired"}))
    with django_capture_on_commit_callbacks(execute=True):
        push = notify(
            recipient=recipient_for_user(cast.helper.user), key="offer:2", body="A mission near you"
        )
    push.refresh_from_db()
    assert push.status == Status.UNDELIVERABLE
    assert not PushSubscription.objects.exists()
    fallback = Message.objects.get(fallback_of=push)
    assert (fallback.channel, fallback.status) == ("email", Status.SENT)
    assert mailoutbox[0].body == "A mission near you"


def test_a_message_queued_before_the_browser_changed_account_is_not_pushed_to_it(
    cast, client, vapid, http, django_capture_on_commit_callbacks, mailoutbox
):
    subscribe(client, cast.helper.user)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        push = notify(
            recipient=recipient_for_user(cast.helper.user), key="offer:3", body="Rue du Bailli 12"
        )
    subscribe(client, cast.other_helper.user)  # the same browser, another account
    with django_capture_on_commit_callbacks(execute=True):
        for callback in queued:
            callback()
    push.refresh_from_db()
    assert push.status == Status.UNDELIVERABLE and http.posts_to("/send/abc") == []
    fallback = Message.objects.get(fallback_of=push)
    assert fallback.channel == "email" and mailoutbox[0].to == [cast.helper.user.email]


def test_the_site_can_be_installed_on_a_phone(client):
    manifest = client.get("/notifications/manifest.webmanifest")
    assert manifest.status_code == 200 and manifest.json()["display"] == "standalone"
    worker = client.get("/notifications/service-worker.js")
    assert worker["Service-Worker-Allowed"] == "/"
    assert "showNotification" in worker.content.decode()
