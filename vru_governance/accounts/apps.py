from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "vru_governance.accounts"
    verbose_name = "Sign-in, the second factor and backup codes"
