"""The site's own app configurations: the site itself, and Django's admin behind the second
factor."""

from __future__ import annotations

from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig

from vru_governance import page_cache


class SiteConfig(AppConfig):
    """The site over the data apps: wires what the screens need from the records."""

    name = "vru_governance"
    verbose_name = "VRU Governance site"

    def ready(self) -> None:
        # The public page cache is the screens' concern; the data apps know nothing of it.
        page_cache.connect_signals()


class AdminConfig(DjangoAdminConfig):
    default_site = "vru_governance.admin_site.AdminSite"
