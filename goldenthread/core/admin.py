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


@admin.register(models.AccessRecord)
class AccessRecordAdmin(admin.ModelAdmin):
    """The access log, read-only: no one may add, change or delete a record here."""

    list_display = ["at", "actor", "action", "object_type", "object_id", "person_ref", "detail"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor", "person_ref", "object_id", "detail"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
