"""manage.py send_appointment_reminders — e-mail each body's secretaries six weeks before an
appointment ends (once per end date).

Meant for a daily cron job, e.g. `0 7 * * * manage.py send_appointment_reminders --base-url …`.
"""

from __future__ import annotations

from typing import Any

from members.appointment_reminders import due, send_appointment_reminders
from members.management.daily_mail import DailyMailCommand


class Command(DailyMailCommand):
    help = "E-mail the secretaries of each body whose appointments end within six weeks."

    def handle(self, *args: object, **options: Any) -> None:
        today = self.today(options)
        if options["dry_run"]:
            for reminder in due(today):
                names = ", ".join(a.person.name for a in reminder.appointments)
                self.stdout.write(f"{reminder.body.slug} → {', '.join(reminder.to)}: {names}")
            return
        sent = send_appointment_reminders(today=today, base_url=str(options["base_url"]))
        self.stdout.write(self.style.SUCCESS(f"Sent {sent} reminder e-mail(s) for {today}."))
