"""Django admin for the lookups: areas, user groups, services and which services a manager manages."""
from django.contrib import admin

from goldenthread.core import models


@admin.register(models.Area, models.UserGroup)
class LookupAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(models.Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "provider"]
    search_fields = ["name", "provider"]


@admin.register(models.StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    """Link provider managers to the services they manage."""

    list_display = ["user"]
    filter_horizontal = ["services"]
