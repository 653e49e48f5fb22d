"""URLs for the audit page and the council's lists (areas, services, user groups)."""
from django.urls import path

from goldenthread.core import views

urlpatterns = [
    path("audit/", views.audit, name="audit"),
    path("lists/", views.lists_home, name="lists"),
    path("lists/<slug:kind>/", views.list_page, name="list_page"),
    path("lists/<slug:kind>/<int:pk>/rename/", views.list_rename, name="list_rename"),
    path("lists/<slug:kind>/<int:pk>/remove/", views.list_remove, name="list_remove"),
]
