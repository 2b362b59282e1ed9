from __future__ import annotations

from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "vru_governance.workspace"
    verbose_name = "The secretary's workspace"
