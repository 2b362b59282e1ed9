from __future__ import annotations

from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "vru_governance.records"
    verbose_name = "Import, export, backup and scale data of the records"
