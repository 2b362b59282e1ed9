"""The project's own admin configuration: Django's admin site behind the second factor."""

from __future__ import annotations

from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    default_site = "vru_governance.admin_site.AdminSite"
