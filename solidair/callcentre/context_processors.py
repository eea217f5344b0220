from django.http import HttpRequest

from solidair.callcentre.models import CallOutcome
from solidair.callcentre.selectors import my_call


def current_call(request: HttpRequest) -> dict[str, object]:
    """The operator's call in progress, shown on every page until they end it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    call = my_call(user)  # type: ignore[arg-type]
    return {"current_call": call, "call_outcomes": CallOutcome.choices} if call else {}
