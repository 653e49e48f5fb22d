"""Django admin for administrators: cycles, reviews, statements and one-page profiles."""
from django.contrib import admin

from goldenthread.reviews import models


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


@admin.register(models.OnePageProfile)
class OnePageProfileAdmin(admin.ModelAdmin):
    list_display = ["person_ref", "service", "updated_at"]
    search_fields = ["person_ref"]
