from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solidair.callcentre.selectors import on_shift_now, open_concerns
from solidair.languages import CODES
from solidair.missions.models import OPEN_STATES, State
from solidair.missions.selectors import missions_in_state, state_counts
from solidair.people import phones
from solidair.people.consent import consent_text
from solidair.people.forms import HelpeeForm
from solidair.people.http import AuthedRequest
from solidair.people.models import STAFF_ROLES, Helpee, Helper, Organisation, RoleKind
from solidair.people.selectors import (
    access_log_of,
    has_role,
    helpee_for,
    helpees_visible_to,
    possible_duplicates,
    staff_organisation_ids,
    user_kinds,
)
from solidair.people.services import access_log_record, access_log_record_all, helpee_create

HOMES = [
    (RoleKind.COORDINATOR, "coordinator_home"),
    (RoleKind.MODERATOR, "moderator_home"),
    (RoleKind.OPERATOR, "operator_home"),
    (RoleKind.HELPER, "helpers:home"),
    (RoleKind.ADMIN, "admin_home"),
]


def _require(request: AuthedRequest, *kinds: str) -> None:
    if not user_kinds(request.user) & set(kinds):
        raise PermissionDenied


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    held = user_kinds(request.user)
    for kind, url_name in HOMES:
        if kind in held:
            return redirect(url_name)
    if request.user.is_superuser:
        return redirect("admin_home")
    return render(request, "people/no_role.html")


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Switch language, remembered on the account (every device) and in a cookie."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language in CODES:
        translation.activate(language)
        if request.user.is_authenticated:
            request.user.language = language
            request.user.save(update_fields=["language"])
        response.set_cookie("solidair_language", language, samesite="Lax", max_age=365 * 86400)
    return response


def helper_home(request: AuthedRequest) -> HttpResponse:
    """The old address of the helper's home."""
    return redirect("helpers:home")


@login_required
def moderator_home(request: AuthedRequest) -> HttpResponse:
    _require(request, RoleKind.MODERATOR)
    return render(
        request,
        "people/moderator_home.html",
        {"pending": missions_in_state(request.user, State.PENDING_REVIEW)},
    )


@login_required
def coordinator_home(request: AuthedRequest) -> HttpResponse:
    _require(request, RoleKind.COORDINATOR)
    user = request.user
    org_ids = staff_organisation_ids(user)
    helpers = Helper.objects.filter(organisation_id__in=org_ids)
    counts = state_counts(user)
    concerns = list(open_concerns(user))
    access_log_record_all(  # the emergency contacts are on the page
        user=user, helpees=[c.helpee for c in concerns if c.helpee is not None], page=request.path
    )
    return render(
        request,
        "people/coordinator_home.html",
        {
            "organisations": Organisation.objects.filter(pk__in=org_ids),
            "counts": [(State(s).label, counts[s]) for s in State.values],
            "open_count": sum(counts[s] for s in OPEN_STATES),
            "helpers_total": helpers.count(),
            "helpers_verified": helpers.filter(verification="approved").count(),
            "unmatched": missions_in_state(user, State.UNMATCHED)[:20],
            "concerns": concerns,
            "on_shift": on_shift_now(user),
        },
    )


@login_required
def admin_home(request: AuthedRequest) -> HttpResponse:
    if not (request.user.is_superuser or RoleKind.ADMIN in user_kinds(request.user)):
        raise PermissionDenied
    org_ids = staff_organisation_ids(request.user, (RoleKind.ADMIN,))
    return render(
        request,
        "people/admin_home.html",
        {"organisations": Organisation.objects.filter(pk__in=org_ids)},
    )


@login_required
def helpee_search(request: AuthedRequest) -> HttpResponse:
    """Find a helpee by any of their numbers (whatever the format), name or postcode."""
    _require(request, *STAFF_ROLES)
    query = (request.POST.get("q") or request.GET.get("q", "")).strip()
    if not query and request.GET.get("call", "").isdigit():
        # From the console: the number of the operator's own call, not in the address.
        query = _caller_of(request, int(request.GET["call"]))
    found = helpees_visible_to(request.user).prefetch_related("phones")
    if query:
        number = phones.normalise_or_none(query)
        condition = Q(postcode=query)
        for word in query.split():
            condition |= Q(first_name__icontains=word) | Q(last_name__icontains=word)
        if number:
            condition |= Q(phones__number=number)
        found = found.filter(condition).distinct()[:50]
    else:
        found = found.order_by("-created_at")[:20]
    template = "people/_helpee_results.html" if request.htmx else "people/helpee_search.html"
    return render(request, template, {"query": query, "helpees": found})


def _caller_of(request: AuthedRequest, call_pk: int) -> str:
    """The caller's number of one of the operator's own calls (console links carry the
    call's id, never the number)."""
    from solidair.callcentre.models import Call

    caller = (
        Call.objects.filter(pk=call_pk, operator=request.user)
        .values_list("caller", flat=True)
        .first()
    )
    return phones.national(caller) if caller else ""


def _organisation_for_new_helpee(request: AuthedRequest) -> Organisation:
    ids = staff_organisation_ids(request.user)
    if not ids:
        raise PermissionDenied
    wanted = request.GET.get("organisation") or request.POST.get("organisation")
    if wanted and wanted.isdigit() and int(wanted) in ids:
        return Organisation.objects.get(pk=int(wanted))
    return Organisation.objects.get(pk=ids[0])


@login_required
def helpee_new(request: AuthedRequest) -> HttpResponse:
    _require(request, *STAFF_ROLES)
    organisation = _organisation_for_new_helpee(request)
    form = HelpeeForm(
        request.POST or None,
        organisation=organisation,
        initial={
            "phone_1": _caller_of(request, int(request.GET["call"]))
            if request.GET.get("call", "").isdigit()
            else "",
            "language": organisation.languages[0],
        },
    )
    duplicates = Helpee.objects.none()
    if request.method == "POST" and form.is_valid():
        details = form.helpee_details()
        duplicates = possible_duplicates(
            organisation.pk,
            numbers=form.phone_numbers(),
            first_name=details.first_name,
            last_name=details.last_name,
            postcode=details.postcode,
            street=details.street,
        )
    if (
        request.method == "POST"
        and form.is_valid()
        and (not duplicates.exists() or request.POST.get("create_anyway"))
    ):
        try:
            helpee = helpee_create(
                organisation=organisation,
                by=request.user,
                details=form.helpee_details(),
                phone_numbers=form.phone_numbers(),
                consent=form.cleaned_data["consent"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s is recorded.") % {"name": helpee.full_name})
            return redirect("helpee_detail", pk=helpee.pk)
    language = form["language"].value() or organisation.languages[0]
    # Their names and addresses are on the page.
    access_log_record_all(user=request.user, helpees=duplicates, page=request.path)
    return render(
        request,
        "people/helpee_new.html",
        {
            "form": form,
            "organisation": organisation,
            "consent_text": consent_text(language),
            "language": language,
            "duplicates": duplicates,
        },
    )


@login_required
def helpee_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    helpee = helpee_for(request.user, pk)
    access_log_record(user=request.user, helpee=helpee, page=request.path)
    missions = helpee.missions.select_related("theme", "helper__user").order_by("-created_at")
    return render(
        request,
        "people/helpee_detail.html",
        {
            "helpee": helpee,
            "open_missions": [m for m in missions if m.is_open],
            "past_missions": [m for m in missions if not m.is_open],
            "last_helper": next((m.helper for m in missions if m.helper_id), None),
        },
    )


@login_required
def helpee_access_log(request: AuthedRequest, pk: int) -> HttpResponse:
    helpee = helpee_for(request.user, pk)
    if not has_role(request.user, helpee.organisation_id, RoleKind.COORDINATOR):
        raise PermissionDenied
    return render(
        request,
        "people/helpee_access_log.html",
        {"helpee": helpee, "entries": access_log_of(helpee)[:500]},
    )
