"""The admin of backup codes: django-otp's own StaticDevice admin, made to fit codes that are
stored as digests (vru_governance/accounts/backup_codes.py)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken


class BackupCodeInline(admin.TabularInline):
    """Unused codes, as digests. Deleting one invalidates it; a code typed in here could never
    be used (it would be taken for a digest), so none can be added."""

    model = StaticToken
    extra = 0
    fields = ["token"]
    readonly_fields = ["token"]
    verbose_name = "unused backup code (stored as a digest)"
    verbose_name_plural = "unused backup codes (stored as digests)"

    def has_add_permission(self, request: HttpRequest, obj: StaticDevice | None = None) -> bool:
        return False


class BackupCodesAdmin(StaticDeviceAdmin):
    """A user's backup codes: how many are left, when one was last used. Deleting the device
    deletes the codes; the user makes a new set on their Account security page."""

    list_display = ["user", "name", "codes_left", "created_at", "last_used_at"]
    inlines = [BackupCodeInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[StaticDevice]:
        return super().get_queryset(request).annotate(unused=Count("token_set"))

    def get_inline_instances(self, request: HttpRequest, obj: StaticDevice | None = None) -> list:
        # django-otp hides the codes when OTP_ADMIN_HIDE_SENSITIVE_DATA is on (our setting, for
        # the authenticator secrets); ours are digests, which give nothing away.
        return admin.ModelAdmin.get_inline_instances(self, request, obj)

    @admin.display(description="codes left", ordering="unused")
    def codes_left(self, device: StaticDevice) -> int:
        return device.unused


if admin.site.is_registered(StaticDevice):
    admin.site.unregister(StaticDevice)
admin.site.register(StaticDevice, BackupCodesAdmin)
