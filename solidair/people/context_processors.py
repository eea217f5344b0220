from django.http import HttpRequest

from solidair.people.selectors import user_kinds


def roles(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"my_roles": set()}
    return {"my_roles": user_kinds(user)}
