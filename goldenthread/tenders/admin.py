"""Django admin for tenders, their criteria, bids, panel and scores."""
from django.contrib import admin

from goldenthread.tenders import models


@admin.register(models.Tender)
class TenderAdmin(admin.ModelAdmin):
    list_display = ["name", "service_type", "area", "user_group", "status"]
    list_filter = ["status", "service_type", "area"]
    raw_id_fields = ["themes"]


@admin.register(models.Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["text", "tender", "theme", "weight"]
    raw_id_fields = ["theme"]


@admin.register(models.Bid)
class BidAdmin(admin.ModelAdmin):
    list_display = ["label", "tender", "bidder"]


@admin.register(models.PanelMember)
class PanelMemberAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "tender"]


@admin.register(models.Score)
class ScoreAdmin(admin.ModelAdmin):
    list_display = ["member", "bid", "criterion", "value", "scored_at"]
    list_filter = ["bid__tender"]
