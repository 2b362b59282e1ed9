"""manage.py send_action_reminders — email owners of actions due within a week or overdue.

Meant for a daily cron job, e.g. `0 7 * * * manage.py send_action_reminders --base-url https://…`.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser

from actions.notifications import reminders, send_action_reminders


class Command(BaseCommand):
    help = "Email a reminder to each owner of actions due within seven days or overdue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Act as if today were this date (YYYY-MM-DD).")
        parser.add_argument(
            "--base-url", default="", help="The site's address, for links in the emails."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List who would be emailed; send nothing."
        )

    def handle(self, *args: object, **options: object) -> None:
        today = dt.date.today()
        if options["date"]:
            try:
                today = dt.date.fromisoformat(str(options["date"]))
            except ValueError as exc:
                raise CommandError(f"--date {options['date']!r} is not YYYY-MM-DD.") from exc
        if options["dry_run"]:
            for reminder in reminders(today):
                self.stdout.write(f"{reminder.to}: {len(reminder.actions)} action(s)")
            return
        sent = send_action_reminders(today, base_url=str(options["base_url"]))
        self.stdout.write(self.style.SUCCESS(f"Sent {sent} reminder email(s) for {today}."))
