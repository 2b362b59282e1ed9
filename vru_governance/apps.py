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
        # Saved searches' alerts need the public search engine, which the data apps may not
        # import: the site answers their `published` signal. Imported here, as the models it
        # reads are not loaded before ready().
        from vru_governance.public import alert_matching

        alert_matching.connect()


class AdminConfig(DjangoAdminConfig):
    default_site = "vru_governance.admin_site.AdminSite"
