"""manage.py send_pending_mail — send the partner e-mails whose (next) attempt is due.

Meant for cron every few minutes, e.g. `*/5 * * * * manage.py send_pending_mail`: with the
embedded job backend it is what retries an e-mail that failed; with RQ it catches what a lost
job left behind. It also deletes the alert requests never confirmed in time. It exits with
status 1 while an e-mail has failed and is still retried, so cron's mail (or the monitoring)
says so.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from meetings import alerts, outbox
from meetings.models import MailDelivery


class Command(BaseCommand):
    help = "Send the partner e-mails that are due (first attempts and retries)."

    def handle(self, *args: object, **options: object) -> None:
        sent = outbox.send()
        self.stdout.write(f"Sent {sent} e-mail(s).")
        forgotten = alerts.forget_unconfirmed()
        if forgotten:
            self.stdout.write(f"Deleted {forgotten} alert request(s) never confirmed.")
        failing = MailDelivery.objects.filter(
            status=MailDelivery.Status.PENDING, attempts__gt=0
        ).count()
        if failing:
            self.stderr.write(f"{failing} e-mail(s) failed and will be retried.")
            raise SystemExit(1)
