from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Papers and documents"

    def ready(self) -> None:
        # A table a migration rebuilt on SQLite has lost its search triggers: put them back.
        from reports.search_index import ensure_after_migrate

        post_migrate.connect(
            ensure_after_migrate, sender=self, dispatch_uid="reports-sqlite-search-index"
        )
