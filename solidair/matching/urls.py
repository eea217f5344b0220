from django.urls import path

from solidair.matching import views

urlpatterns = [
    path("missions/<int:pk>/ranking/", views.mission_ranking, name="mission_ranking"),
]
