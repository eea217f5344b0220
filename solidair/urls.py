from django.contrib import admin
from django.urls import include, path

from solidair.missions import views as missions
from solidair.people import views as people

urlpatterns = [
    path("", people.home, name="home"),
    path("", include("solidair.callcentre.urls")),
    path("", include("solidair.matching.urls")),
    path("", include("solidair.helpers.urls")),
    path("language/", people.language_set, name="language_set"),
    path("helper/", people.helper_home, name="helper_home"),
    path("moderator/", people.moderator_home, name="moderator_home"),
    path("coordinator/", people.coordinator_home, name="coordinator_home"),
    path("administration/", people.admin_home, name="admin_home"),
    path("helpees/", people.helpee_search, name="helpee_search"),
    path("helpees/new/", people.helpee_new, name="helpee_new"),
    path("helpees/<int:pk>/", people.helpee_detail, name="helpee_detail"),
    path("helpees/<int:pk>/access-log/", people.helpee_access_log, name="helpee_access_log"),
    path("helpees/<int:helpee_pk>/missions/new/", missions.mission_new, name="mission_new"),
    path("missions/", missions.mission_list, name="mission_list"),
    path("missions/<int:pk>/", missions.mission_detail, name="mission_detail"),
    path("missions/<int:pk>/edit/", missions.mission_edit, name="mission_edit"),
    path("missions/<int:pk>/<slug:action>/", missions.mission_action, name="mission_action"),
    path("notifications/", include("solidair.notifications.urls")),
    path("telephony/", include("solidair.telephony.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
