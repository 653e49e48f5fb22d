"""Django admin for team planning."""
from django.contrib import admin

from goldenthread.planning import models


class TeamPlanItemInline(admin.TabularInline):
    model = models.TeamPlanItem
    extra = 0


@admin.register(models.TeamPlan)
class TeamPlanAdmin(admin.ModelAdmin):
    list_display = ["provider", "team", "group_type", "year"]
    list_filter = ["provider", "group_type", "year"]
    inlines = [TeamPlanItemInline]
