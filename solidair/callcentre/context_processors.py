from django.http import HttpRequest

from solidair.callcentre.models import Call, CallOutcome
from solidair.callcentre.selectors import my_call

# What an operator may say of a call; the others are the help line's own.
OPERATOR_OUTCOMES = [
    (value, label)
    for value, label in CallOutcome.choices
    if value not in (CallOutcome.HELPER, CallOutcome.BLOCKED)
]


def banner_state(call: Call | None) -> str:
    """What the call banner shows, so that the console's polling redraws it only when
    that changes (and never under the operator's keyboard otherwise)."""
    if call is None:
        return ""
    return f"{call.pk}-{'ended' if call.ended_at else 'open'}"


def current_call(request: HttpRequest) -> dict[str, object]:
    """The operator's call in progress, shown on every page until they end it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    call = my_call(user)  # type: ignore[arg-type]
    if call is None:
        return {}
    return {
        "current_call": call,
        "call_outcomes": OPERATOR_OUTCOMES,
        "call_banner_state": banner_state(call),
    }
