"""Admin: people, funds, rules and staff can be set up here; the ledger and approvals are read-only."""
from django.contrib import admin

from goldenthread.providers import models


class ReadOnlyAdmin(admin.ModelAdmin):
    """Append-only records: visible, never added, changed or deleted here (use the fund's pages)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["occurred_on", "fund", "kind", "description", "hours", "money", "bank_hours", "recorded_by"]
    list_filter = ["kind", "category"]


@admin.register(models.Approval)
class ApprovalAdmin(ReadOnlyAdmin):
    list_display = ["fund", "approved_by", "approved_at", "reason"]


@admin.register(models.AllocationChange)
class AllocationChangeAdmin(ReadOnlyAdmin):
    list_display = ["fund", "effective_from", "weekly_hours", "weekly_money", "reason"]


class FlexRuleInline(admin.TabularInline):
    model = models.FlexRule
    extra = 0


@admin.register(models.Fund)
class FundAdmin(admin.ModelAdmin):
    list_display = ["name", "service", "person", "weekly_hours", "weekly_money"]
    inlines = [FlexRuleInline]
    filter_horizontal = ["shared_by"]


@admin.register(models.SupportedPerson)
class SupportedPersonAdmin(admin.ModelAdmin):
    list_display = ["name", "ref", "service"]
    filter_horizontal = ["people"]


admin.site.register(models.StaffMember)
admin.site.register(models.Wishes)
