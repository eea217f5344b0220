from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from solidair.people.models import User


class AuthedRequest(HttpRequest):
    """The request a logged-in view receives (for the type checker)."""

    user: User
    htmx: HtmxDetails
