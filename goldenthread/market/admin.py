"""Django admin for the market directory."""
from django.contrib import admin

from goldenthread.market import models


@admin.register(models.ServiceType)
class ServiceTypeAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(models.Provision)
class ProvisionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "service_type", "organisation", "capacity", "capacity_unit"]
    list_filter = ["kind", "service_type", "areas"]
    filter_horizontal = ["areas", "user_groups"]
    search_fields = ["name", "organisation"]


@admin.register(models.ThemeServiceType)
class ThemeServiceTypeAdmin(admin.ModelAdmin):
    list_display = ["cluster", "service_type", "score", "status", "decided_by"]
    list_filter = ["status", "service_type"]
    raw_id_fields = ["cluster"]
