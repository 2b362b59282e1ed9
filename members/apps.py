from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Members and terms of reference"

    def ready(self) -> None:
        from vru_governance import page_cache

        page_cache.connect_signals()
