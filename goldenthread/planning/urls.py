"""URLs for team and organisation planning."""
from django.urls import path

from goldenthread.planning import views as v

urlpatterns = [
    path("planning/", v.planning, name="planning"),
    path("planning/new/<str:group_type>/", v.planning_new, name="planning_new"),
    path("planning/strategic/", v.planning_strategic, name="planning_strategic"),
]
