"""URLs for the audit page."""
from django.urls import path

from goldenthread.core import views

urlpatterns = [path("audit/", views.audit, name="audit")]
