"""Django admin for the outcome framework, measures and theme links."""
from django.contrib import admin

from goldenthread.outcomes import models


@admin.register(models.OutcomeArea)
class OutcomeAreaAdmin(admin.ModelAdmin):
    list_display = ["code", "statement", "position"]


@admin.register(models.Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "outcome", "cycle", "period", "area", "user_group", "value", "unit"]
    list_filter = ["kind", "outcome", "cycle"]


@admin.register(models.ThemeOutcome)
class ThemeOutcomeAdmin(admin.ModelAdmin):
    list_display = ["cluster", "outcome", "score", "status", "decided_by"]
    list_filter = ["status", "outcome"]
    raw_id_fields = ["cluster"]
