"""Staff pages (what the console provider sent, what failed), and what a helper's phone
needs to install the site and receive push notifications."""

import json

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from solidair.notifications import push, selectors, services
from solidair.notifications.models import QuietHours
from solidair.people.http import AuthedRequest
from solidair.people.models import STAFF_ROLES
from solidair.people.selectors import staff_organisation_ids

PAGE_SIZE = 100


def _require_staff(request: AuthedRequest, kinds: tuple[str, ...] = STAFF_ROLES) -> None:
    if not (request.user.is_superuser or staff_organisation_ids(request.user, kinds)):
        raise PermissionDenied


@login_required
def console(request: AuthedRequest) -> HttpResponse:
    _require_staff(request)
    records = selectors.console_records_visible_to(request.user)[:PAGE_SIZE]
    return render(request, "notifications/console.html", {"records": records})


@login_required
def failed(request: AuthedRequest) -> HttpResponse:
    _require_staff(request, selectors.MANAGERS)
    can_manage_jobs = selectors.can_manage_jobs(request.user)
    return render(
        request,
        "notifications/failed.html",
        {
            "failed_messages": selectors.failed_messages_visible_to(request.user)[:PAGE_SIZE],
            "failed_jobs": selectors.failed_jobs()[:PAGE_SIZE] if can_manage_jobs else None,
        },
    )


@login_required
@require_POST
def message_retry(request: AuthedRequest, pk: int) -> HttpResponse:
    _require_staff(request, selectors.MANAGERS)
    message = get_object_or_404(selectors.messages_visible_to(request.user), pk=pk)
    try:
        services.message_retry(message=message, by=request.user)
    except services.NotificationError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The message will be sent again."))
    return redirect("notifications:failed")


@login_required
@require_POST
def job_retry(request: AuthedRequest, job_id: str) -> HttpResponse:
    try:
        services.job_retry(job_id=job_id, by=request.user)
    except services.NotificationError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The job will run again."))
    return redirect("notifications:failed")


@login_required
def push_settings(request: AuthedRequest) -> HttpResponse:
    quiet = QuietHours.objects.filter(user=request.user).first()
    form = QuietHoursForm(request.POST or None, instance=quiet)
    if request.method == "POST":
        if request.POST.get("remove") and quiet is not None:
            quiet.delete()
            messages.success(request, _("Your quiet hours are removed."))
            return redirect("notifications:push")
        if form.is_valid():
            hours = form.save(commit=False)
            hours.user = request.user
            hours.save()
            messages.success(request, _("Your quiet hours are saved."))
            return redirect("notifications:push")
    return render(
        request,
        "notifications/push.html",
        {
            "vapid_public_key": settings.VAPID_PUBLIC_KEY,
            "subscriptions": request.user.push_subscriptions.all(),
            "quiet_form": form,
            "quiet": quiet,
        },
    )


class QuietHoursForm(forms.ModelForm):
    class Meta:
        model = QuietHours
        fields = ["start", "end"]
        widgets = {
            "start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def clean(self):
        super().clean()
        if self.cleaned_data.get("start") == self.cleaned_data.get("end") is not None:
            raise forms.ValidationError(_("The quiet hours must end at another time."))
        return self.cleaned_data


@login_required
@require_POST
def push_subscribe(request: AuthedRequest) -> JsonResponse:
    try:
        data = json.loads(request.body)
        subscription = push.push_subscription_save(
            user=request.user,
            endpoint=data["endpoint"],
            p256dh=data["keys"]["p256dh"],
            auth=data["keys"]["auth"],
            user_agent=request.headers.get("User-Agent", ""),
        )
    except (ValueError, KeyError, TypeError):
        return JsonResponse(
            {"error": _("This phone's subscription could not be read. Please try again.")},
            status=400,
        )
    request.session[push.SESSION_KEY] = subscription.pk  # forgotten at logout
    return JsonResponse({"message": _("This phone will now receive notifications.")})


@login_required
@require_POST
def push_unsubscribe(request: AuthedRequest, pk: int) -> HttpResponse:
    request.user.push_subscriptions.filter(pk=pk).delete()
    messages.success(request, _("That device will no longer receive notifications."))
    return redirect("notifications:push")


@require_GET
@cache_control(max_age=3600)
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: the helper site installs on a phone's home screen."""
    return JsonResponse(
        {
            "name": "Solidair",
            "short_name": "Solidair",
            "description": _("Neighbours helping neighbours who cannot leave home."),
            "start_url": reverse("home"),
            "scope": "/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#0b5a8a",
            "icons": [
                {"src": static("notifications/icon.svg"), "sizes": "any", "type": "image/svg+xml"}
            ],
        },
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    response = render(request, "notifications/service-worker.js", content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/"  # served from /notifications/, controls the site
    response["Cache-Control"] = "no-cache"
    return response
