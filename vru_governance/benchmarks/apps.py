from __future__ import annotations

from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    name = "vru_governance.benchmarks"
    verbose_name = "Document and load benchmarks"
