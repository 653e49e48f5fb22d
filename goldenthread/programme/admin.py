from django.contrib import admin

from goldenthread.programme import models


@admin.register(models.Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["cycle", "scope_type", "sample_target", "comments_open"]


@admin.register(models.PopulationCount)
class PopulationCountAdmin(admin.ModelAdmin):
    list_display = ["cycle", "dimension", "value", "count"]
    list_filter = ["dimension"]


@admin.register(models.Invitee)
class InviteeAdmin(admin.ModelAdmin):
    list_display = ["name", "workshop", "group", "reply"]
    list_filter = ["group", "reply"]


@admin.register(models.Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["action", "came_from", "state", "created_at"]
    list_filter = ["state"]


admin.site.register([models.WorkshopDay, models.Evaluation, models.ActionUpdate, models.Milestone,
                     models.CarriedAction])
