from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Meetings, attendance and minutes"

    def ready(self) -> None:
        # What a published document shows is locked on every write path (meetings/lifecycle.py).
        from meetings import lifecycle

        lifecycle.install()
