import mimetypes

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from solidair.callcentre.services import mission_report_unreachable
from solidair.helpers import forms, selectors, services
from solidair.helpers.models import Outcome
from solidair.helpers.storage import private_storage
from solidair.missions import services as missions
from solidair.missions.models import DetailForm, Mission, State
from solidair.people.http import AuthedRequest
from solidair.people.models import Helper, Verification
from solidair.people.services import access_log_record
from solidair.places import geocoder
from solidair.telephony import masked


def _helper(request: AuthedRequest) -> Helper:
    helper = selectors.helper_of(request.user)
    if helper is None:
        raise PermissionDenied
    return helper


def join(request: HttpRequest) -> HttpResponse:
    """Anyone can volunteer; they log in straight away and are asked for their identity."""
    if request.user.is_authenticated and selectors.helper_of(request.user):  # type: ignore[arg-type]
        return redirect("helpers:home")
    form = forms.HelperSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        place = data["place"]
        # The street when the geocoder finds it (GEOCODER_URL), else the postcode's
        # centre: a helper's reach of 1 to 3 km is measured from their home.
        street = geocoder.geocode(
            street=data["street"],
            house_number=data["house_number"],
            postcode=data["postcode"],
            city=data["city"],
            country=data["organisation_found"].country,
        )
        profile = services.HelperProfile(
            postcode=data["postcode"],
            latitude=street.latitude if street else place.latitude,
            longitude=street.longitude if street else place.longitude,
            street=data["street"],
            house_number=data["house_number"],
            city=data["city"],
            radius_km=data["radius_km"],
            languages=data["languages"],
            availability=forms.availability_from_slots(data["availability"]),
            available_now=data["available_now"],
            transport=data["transport"],
            dogs_ok=data["dogs_ok"],
            max_missions_per_week=data["max_missions_per_week"],
        )
        try:
            helper = services.helper_sign_up(
                organisation=data["organisation_found"],
                email=data["email"],
                password=data["password"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                phone=data["phone"],
                language=(translation.get_language() or "fr")[:2],
                profile=profile,
                theme_ids=[theme.pk for theme in data["themes"]],
            )
        except IntegrityError:  # the same email, sent twice at the same moment
            form.add_error(
                "email",
                _("There is already an account with this email address: please log in instead."),
            )
        else:
            login(request, helper.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Welcome to Solidair! One last step: show us your identity document."),
            )
            return redirect("helpers:identity")
    return render(request, "helpers/join.html", {"form": form})


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    helper = _helper(request)
    return render(
        request,
        "helpers/home.html",
        {
            "helper": helper,
            "document": selectors.latest_document(helper),
            "missions": selectors.missions_of(helper)[:20],
            "availability_form": forms.AvailabilityForm(
                initial={
                    "availability": forms.slots_from_availability(helper.availability),
                    "available_now": helper.available_now,
                }
            ),
        },
    )


@login_required
@require_POST
def availability(request: AuthedRequest) -> HttpResponse:
    helper = _helper(request)
    form = forms.AvailabilityForm(request.POST)
    if form.is_valid():
        services.helper_availability_set(
            helper=helper,
            availability=forms.availability_from_slots(form.cleaned_data["availability"]),
            available_now=form.cleaned_data["available_now"],
        )
        messages.success(request, _("Your availability is saved."))
        return redirect("helpers:home")
    return render(
        request,
        "helpers/home.html",
        {
            "helper": helper,
            "document": selectors.latest_document(helper),
            "missions": selectors.missions_of(helper)[:20],
            "availability_form": form,
        },
    )


@sensitive_post_parameters("mrz", "national_number")  # never in an error report
@never_cache  # a form shown again with them is not kept in the browser's cache
@login_required
def identity(request: AuthedRequest) -> HttpResponse:
    helper = _helper(request)
    document = selectors.latest_document(helper)
    waiting = document is not None and document.outcome == Outcome.PENDING
    if helper.verification == Verification.APPROVED or waiting:
        return render(request, "helpers/identity.html", {"helper": helper, "document": document})
    form = forms.IdentityForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.identity_submit(
            helper=helper,
            document_type=data["document_type"],
            expires_on=data["expires_on"],
            front=data["front"],
            back=data.get("back"),
            mrz_checked=bool(data.get("mrz", "").strip()),
            national_number_checked=bool(data.get("national_number")),
        )
        messages.success(
            request,
            _("Thank you! A moderator will check your document, usually within a day."),
        )
        return redirect("helpers:identity")
    return render(
        request,
        "helpers/identity.html",
        {"helper": helper, "document": document, "form": form},
    )


def _require_moderator(request: AuthedRequest) -> None:
    from solidair.people.models import RoleKind
    from solidair.people.selectors import user_kinds

    if RoleKind.MODERATOR not in user_kinds(request.user):
        raise PermissionDenied


@login_required
def review(request: AuthedRequest) -> HttpResponse:
    _require_moderator(request)
    return render(
        request,
        "helpers/review.html",
        {"documents": selectors.documents_to_review(request.user)},
    )


@login_required
def review_document(request: AuthedRequest, pk: int) -> HttpResponse:
    _require_moderator(request)
    document = selectors.document_for_review(request.user, pk)
    form = forms.DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            services.identity_decide(
                document=document,
                by=request.user,
                approve=approve,
                reason=form.cleaned_data["reason"],
            )
        except services.IdentityError as error:
            messages.error(request, error.message)
        else:
            name = document.helper.user.get_full_name()
            if approve:
                messages.success(request, _("%(name)s is verified.") % {"name": name})
            else:
                messages.success(request, _("%(name)s was refused.") % {"name": name})
        return redirect("helpers:review")
    return render(request, "helpers/review_document.html", {"document": document, "form": form})


@never_cache
@login_required
def review_image(request: AuthedRequest, pk: int, side: str) -> FileResponse:
    """An identity image, for the moderators only; each view goes to the access log."""
    _require_moderator(request)
    document = selectors.document_for_review(request.user, pk)
    image = {"front": document.front, "back": document.back}.get(side)
    if not image:
        raise Http404
    services.identity_image_view_record(
        user=request.user, helper=document.helper, page=request.path
    )
    return _private_file(image.name)


@never_cache
@login_required
def receipt_image(request: AuthedRequest, pk: int) -> FileResponse:
    """The photo of a mission's receipt, for the organisation's operators and
    coordinators only; each view goes to the helpee's access log."""
    report = selectors.report_for(request.user, pk)
    if not report.receipt:
        raise Http404
    access_log_record(user=request.user, helpee=report.mission.helpee, page=request.path)
    return _private_file(report.receipt.name)


def _private_file(name: str) -> FileResponse:
    response = FileResponse(private_storage.open(name, "rb"))
    response["Content-Type"] = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# The feed


def _feed_context(helper: Helper) -> dict:
    cards = selectors.feed_cards(helper)
    return {"helper": helper, "cards": cards, "signature": selectors.feed_signature(cards)}


@login_required
def feed(request: AuthedRequest) -> HttpResponse:
    helper = _helper(request)
    if not helper.is_verified:
        waiting = {"helper": helper, "document": selectors.latest_document(helper), "waiting": True}
        return render(request, "helpers/feed.html", waiting)
    context = {**_feed_context(helper), "at_maximum": selectors.at_weekly_maximum(helper)}
    return render(request, "helpers/feed.html", context)


@never_cache
@login_required
def feed_live(request: AuthedRequest) -> HttpResponse:
    """The cards, polled every few seconds; nothing is swapped when nothing changed."""
    helper = _helper(request)
    if not helper.is_verified:
        return HttpResponse(status=204)
    context = _feed_context(helper)
    if request.GET.get("seen") == context["signature"]:
        return HttpResponse(status=204)
    return render(request, "helpers/_feed_live.html", context)


def _mission_in_organisation(helper: Helper, pk: int) -> Mission:
    return get_object_or_404(Mission, pk=pk, organisation_id=helper.organisation_id)


@login_required
@require_POST
def accept(request: AuthedRequest, pk: int) -> HttpResponse:
    helper = _helper(request)
    mission = _mission_in_organisation(helper, pk)
    if mission.helper_id == helper.pk and mission.state != State.DONE:
        return redirect("helpers:mission", pk=mission.pk)
    try:
        services.mission_accept(mission=mission, helper=helper)
    except missions.MissionError as refused:
        messages.error(request, refused.message)
        return redirect("helpers:feed" if helper.is_verified else "helpers:home")
    messages.success(request, _("The mission is yours. Here is who you help and where: thank you!"))
    return redirect("helpers:mission", pk=mission.pk)


@login_required
@require_POST
def dismiss(request: AuthedRequest, pk: int) -> HttpResponse:
    helper = _helper(request)
    services.mission_dismiss(mission=_mission_in_organisation(helper, pk), helper=helper)
    messages.success(request, _("This mission will not be shown to you again."))
    return redirect("helpers:feed")


# The mission the helper accepted


def _mission_page(
    request: AuthedRequest, helper: Helper, mission: Mission, **forms_given
) -> HttpResponse:
    under_way = mission.state in (State.ASSIGNED, State.IN_PROGRESS)
    if under_way:
        # The helpee's name, address, phone and notes are on this page: log each view.
        access_log_record(user=request.user, helpee=mission.helpee, page=request.path)
    groceries = mission.theme.detail_form == DetailForm.GROCERIES
    context = {
        "helper": helper,
        "mission": mission,
        "under_way": under_way,
        "groceries": groceries,
        "helpee": mission.helpee if under_way else None,
        # Through the line, neither sees the other's number; without one, the number.
        "masked_calls": under_way and masked.available(mission, helper),
        "done_form": forms_given.get("done_form") or forms.DoneForm(groceries=groceries),
        "release_form": forms_given.get("release_form") or forms.ReleaseForm(),
        "unreachable_form": forms_given.get("unreachable_form") or forms.UnreachableForm(),
        "feedback_form": forms_given.get("feedback_form") or forms.FeedbackForm(),
        "feedback_given": hasattr(mission, "helper_feedback"),
    }
    status = 400 if forms_given else 200
    return render(request, "helpers/mission.html", context, status=status)


@never_cache
@login_required
def mission_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    helper = _helper(request)
    return _mission_page(request, helper, selectors.accepted_mission_for(helper, pk))


def _refused(request: AuthedRequest, pk: int, error: missions.MissionError) -> HttpResponse:
    messages.error(request, error.message)
    return redirect("helpers:mission", pk=pk)


@login_required
@require_POST
def mission_start(request: AuthedRequest, pk: int) -> HttpResponse:
    helper = _helper(request)
    mission = selectors.accepted_mission_for(helper, pk)
    try:
        missions.mission_start(mission=mission, by=request.user)
    except missions.MissionError as error:
        return _refused(request, pk, error)
    messages.success(request, _("Have a good trip! The door code is below."))
    return redirect("helpers:mission", pk=pk)


@login_required
@require_POST
def mission_done(request: AuthedRequest, pk: int) -> HttpResponse:
    helper = _helper(request)
    mission = selectors.accepted_mission_for(helper, pk)
    groceries = mission.theme.detail_form == DetailForm.GROCERIES
    form = forms.DoneForm(request.POST, request.FILES, groceries=groceries)
    if not form.is_valid():
        return _mission_page(request, helper, mission, done_form=form)
    try:
        services.mission_done(
            mission=mission,
            helper=helper,
            amount_spent=form.cleaned_data.get("amount_spent"),
            receipt=form.cleaned_data.get("receipt"),
            payback=form.cleaned_data.get("payback", ""),
        )
    except missions.MissionError as error:
        return _refused(request, pk, error)
    messages.success(request, _("Thank you! The mission is done. How did it go?"))
    return redirect("helpers:mission", pk=pk)


@login_required
@require_POST
def mission_release(request: AuthedRequest, pk: int) -> HttpResponse:
    helper = _helper(request)
    mission = selectors.accepted_mission_for(helper, pk)
    form = forms.ReleaseForm(request.POST)
    if not form.is_valid():
        return _mission_page(request, helper, mission, release_form=form)
    try:
        services.mission_give_back(
            mission=mission, helper=helper, reason=form.cleaned_data["reason"]
        )
    except missions.MissionError as error:
        return _refused(request, pk, error)
    messages.success(
        request,
        _("The mission is given back; another helper will be found. Thank you for saying so."),
    )
    return redirect("helpers:home")


@login_required
@require_POST
def mission_unreachable(request: AuthedRequest, pk: int) -> HttpResponse:
    helper = _helper(request)
    mission = selectors.accepted_mission_for(helper, pk)
    form = forms.UnreachableForm(request.POST)
    if not form.is_valid():
        return _mission_page(request, helper, mission, unreachable_form=form)
    try:
        mission_report_unreachable(mission=mission, by=request.user, note=form.cleaned_data["note"])
    except missions.MissionError as error:
        return _refused(request, pk, error)
    messages.success(
        request,
        _("Thank you. An operator will try to reach the helpee and will tell you what to do."),
    )
    return redirect("helpers:mission", pk=pk)


@login_required
@require_POST
def mission_feedback(request: AuthedRequest, pk: int) -> HttpResponse:
    helper = _helper(request)
    mission = selectors.accepted_mission_for(helper, pk)
    form = forms.FeedbackForm(request.POST)
    if not form.is_valid():
        return _mission_page(request, helper, mission, feedback_form=form)
    try:
        services.mission_feedback_record(
            mission=mission,
            helper=helper,
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data["comment"],
        )
    except missions.MissionError as error:
        return _refused(request, pk, error)
    messages.success(request, _("Thank you for your feedback."))
    return redirect("helpers:home")
