"""manage.py send_declaration_round_mail — ask members to confirm their register of interests,
then remind those who have not, daily from two weeks before the due date.

Meant for a daily cron job, e.g. `0 7 * * * manage.py send_declaration_round_mail --base-url …`.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser

from members.declaration_rounds import open_round, send_round_mail
from members.models import Body


class Command(BaseCommand):
    help = "E-mail the members asked in each body's declaration round who have not confirmed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Act as if today were this date (YYYY-MM-DD).")
        parser.add_argument(
            "--base-url", default="", help="The site's address, for links in the e-mails."
        )

    def handle(self, *args: object, **options: object) -> None:
        today = dt.date.today()
        if options["date"]:
            try:
                today = dt.date.fromisoformat(str(options["date"]))
            except ValueError as exc:
                raise CommandError(f"--date {options['date']!r} is not YYYY-MM-DD.") from exc
        sent = 0
        for body in Body.objects.order_by("slug"):
            round = open_round(body)
            if round is not None:
                sent += send_round_mail(round, today=today, base_url=str(options["base_url"]))
        self.stdout.write(self.style.SUCCESS(f"Sent {sent} declaration round e-mail(s)."))
