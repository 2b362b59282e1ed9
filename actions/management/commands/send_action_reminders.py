"""manage.py send_action_reminders — email owners of actions due within a week or overdue.

Meant for a daily cron job, e.g. `0 7 * * * manage.py send_action_reminders --base-url https://…`.
"""

from __future__ import annotations

from typing import Any

from actions.notifications import reminders, send_action_reminders
from members.management.daily_mail import DailyMailCommand


class Command(DailyMailCommand):
    help = "Email a reminder to each owner of actions due within seven days or overdue."

    def handle(self, *args: object, **options: Any) -> None:
        today = self.today(options)
        if options["dry_run"]:
            for reminder in reminders(today):
                self.stdout.write(f"{reminder.to}: {len(reminder.actions)} action(s)")
            return
        sent = send_action_reminders(today, base_url=str(options["base_url"]))
        self.stdout.write(self.style.SUCCESS(f"Sent {sent} reminder email(s) for {today}."))
