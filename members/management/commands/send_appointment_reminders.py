"""manage.py send_appointment_reminders — e-mail each body's secretaries six weeks before an
appointment ends (once per end date).

Meant for a daily cron job, e.g. `0 7 * * * manage.py send_appointment_reminders --base-url …`.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser

from members.appointment_reminders import due, send_appointment_reminders


class Command(BaseCommand):
    help = "E-mail the secretaries of each body whose appointments end within six weeks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Act as if today were this date (YYYY-MM-DD).")
        parser.add_argument(
            "--base-url", default="", help="The site's address, for links in the e-mails."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be sent; send nothing."
        )

    def handle(self, *args: object, **options: object) -> None:
        today = dt.date.today()
        if options["date"]:
            try:
                today = dt.date.fromisoformat(str(options["date"]))
            except ValueError as exc:
                raise CommandError(f"--date {options['date']!r} is not YYYY-MM-DD.") from exc
        if options["dry_run"]:
            for reminder in due(today):
                names = ", ".join(a.person.name for a in reminder.appointments)
                self.stdout.write(f"{reminder.body.slug} → {', '.join(reminder.to)}: {names}")
            return
        sent = send_appointment_reminders(today=today, base_url=str(options["base_url"]))
        self.stdout.write(self.style.SUCCESS(f"Sent {sent} reminder e-mail(s) for {today}."))
