"""Django admin for administrators: lookups, cycles, reviews and statements."""
from django.contrib import admin

from goldenthread.store import models


@admin.register(models.Area, models.UserGroup)
class LookupAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(models.Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "provider"]
    search_fields = ["name", "provider"]


@admin.register(models.ProgrammeCycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "previous"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["team"]


class AttendeeInline(admin.TabularInline):
    model = models.Attendee
    extra = 0


class StatementInline(admin.TabularInline):
    model = models.Statement
    extra = 0
    fields = ["kind", "perspective", "priority", "text", "card_text", "card_number"]
    readonly_fields = ["card_number"]


@admin.register(models.Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["reference", "cycle", "person_ref", "review_date", "area", "user_group", "consent_given",
                    "status", "facilitated_by"]
    list_filter = ["cycle", "area", "user_group", "consent_given", "status"]
    search_fields = ["reference", "person_ref"]
    inlines = [AttendeeInline, StatementInline]


@admin.register(models.ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["filename", "cycle", "imported_by", "imported_at", "reviews_created", "statements_created"]
    readonly_fields = [f.name for f in models.ImportBatch._meta.fields]


@admin.register(models.StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    """Link provider managers to the services they manage."""

    list_display = ["user"]
    filter_horizontal = ["services"]


class TeamPlanItemInline(admin.TabularInline):
    model = models.TeamPlanItem
    extra = 0


@admin.register(models.TeamPlan)
class TeamPlanAdmin(admin.ModelAdmin):
    list_display = ["provider", "team", "group_type", "year"]
    list_filter = ["provider", "group_type", "year"]
    inlines = [TeamPlanItemInline]


@admin.register(models.OnePageProfile)
class OnePageProfileAdmin(admin.ModelAdmin):
    list_display = ["person_ref", "service", "updated_at"]
    search_fields = ["person_ref"]
