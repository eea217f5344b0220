from django.urls import path

from solidair.helpers import views

app_name = "helpers"

urlpatterns = [
    path("helpers/", views.home, name="home"),
    path("helpers/join/", views.join, name="join"),
    path("helpers/availability/", views.availability, name="availability"),
    path("helpers/identity/", views.identity, name="identity"),
    path("helpers/review/", views.review, name="review"),
    path("helpers/review/<int:pk>/", views.review_document, name="review_document"),
    path("helpers/review/<int:pk>/<str:side>.img", views.review_image, name="review_image"),
    path("helpers/feed/", views.feed, name="feed"),
    path("helpers/feed/live/", views.feed_live, name="feed_live"),
    path("helpers/missions/<int:pk>/", views.mission_detail, name="mission"),
    path("helpers/missions/<int:pk>/accept/", views.accept, name="accept"),
    path("helpers/missions/<int:pk>/dismiss/", views.dismiss, name="dismiss"),
    path("helpers/missions/<int:pk>/start/", views.mission_start, name="start"),
    path("helpers/missions/<int:pk>/done/", views.mission_done, name="done"),
    path("helpers/missions/<int:pk>/release/", views.mission_release, name="release"),
    path("helpers/missions/<int:pk>/unreachable/", views.mission_unreachable, name="unreachable"),
    path("helpers/missions/<int:pk>/feedback/", views.mission_feedback, name="feedback"),
    # For staff, on the mission's page (missions/<pk>/).
    path("missions/<int:pk>/receipt.img", views.receipt_image, name="receipt"),
]
