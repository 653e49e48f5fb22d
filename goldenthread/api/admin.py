"""API clients in the Django admin: make one (its token is shown once), see its calls, revoke it."""
from django.contrib import admin, messages
from django.utils import timezone

from goldenthread.api.models import ApiCallLog, ApiClient


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "role", "all_cycles", "can_write", "identifiable", "rate_limit",
                    "last_used_at", "revoked_at")
    list_filter = ("role", "can_write", "identifiable")
    search_fields = ("name", "prefix")
    filter_horizontal = ("cycles", "services")
    readonly_fields = ("prefix", "created_at", "created_by", "last_used_at", "revoked_at")
    actions = ["revoke_tokens"]

    def save_model(self, request, obj, form, change):
        if not change:
            token = obj.new_token()
            obj.created_by = request.user
            super().save_model(request, obj, form, change)
            messages.warning(request, f"The token for {obj.name} is: {token} — copy it now. It is shown only "
                                      "this once; Golden Thread keeps only a hash of it.")
        else:
            super().save_model(request, obj, form, change)

    @admin.action(description="Revoke the selected tokens")
    def revoke_tokens(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        messages.success(request, f"Revoked {count} token{'s' if count != 1 else ''}.")


@admin.register(ApiCallLog)
class ApiCallLogAdmin(admin.ModelAdmin):
    list_display = ("at", "client", "method", "path", "status", "duration_ms", "note")
    list_filter = ("status", "method", "client")
    search_fields = ("path", "client__name")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
