"""A helper changed in Django's admin is changed for matching too."""

from django.contrib import admin
from django.test import RequestFactory

from solidair.matching.models import HelperSpot
from solidair.matching.services import helper_spot_sync
from solidair.people.models import Helper, User, Verification


def test_a_verification_revoked_in_the_admin_stops_the_offers_at_once(cast):
    helper = cast.helper
    helper_spot_sync(helper=helper)
    assert HelperSpot.objects.get(helper=helper).verified
    root = User.objects.create_superuser("root@example.org", "a-long-test-password")
    request = RequestFactory().post("/admin/people/helper/")
    request.user = root
    helper_admin = admin.site._registry[Helper]
    form_class = helper_admin.get_form(request, obj=helper, change=True)
    data = {}
    for name, field in form_class.base_fields.items():
        value = field.prepare_value(getattr(helper, name, None))
        if name == "themes":
            value = [t.pk for t in helper.themes.all()]
        if value is None:
            continue
        data[name] = value if not isinstance(value, bool) or value else ""
    data["verification"] = Verification.REJECTED
    form = form_class(data, instance=helper)
    assert form.is_valid(), form.errors
    saved = helper_admin.save_form(request, form, change=True)
    helper_admin.save_model(request, saved, form, change=True)
    helper_admin.save_related(request, form, [], change=True)
    assert not HelperSpot.objects.get(helper=helper).verified
