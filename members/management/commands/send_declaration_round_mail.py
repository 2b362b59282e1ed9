"""manage.py send_declaration_round_mail — ask members to confirm their register of interests,
then remind those who have not, daily from two weeks before the due date.

Meant for a daily cron job, e.g. `0 7 * * * manage.py send_declaration_round_mail --base-url …`.
"""

from __future__ import annotations

from typing import Any

from members.declaration_rounds import open_round, send_round_mail
from members.management.daily_mail import DailyMailCommand
from members.models import Body


class Command(DailyMailCommand):
    help = "E-mail the members asked in each body's declaration round who have not confirmed."
    offers_dry_run = False

    def handle(self, *args: object, **options: Any) -> None:
        today = self.today(options)
        sent = 0
        for body in Body.objects.order_by("slug"):
            round = open_round(body)
            if round is not None:
                sent += send_round_mail(round, today=today, base_url=str(options["base_url"]))
        self.stdout.write(self.style.SUCCESS(f"Sent {sent} declaration round e-mail(s)."))
