"""The shape every daily e-mailing command shares (action reminders, appointment reminders,
declaration rounds): `--date` to act as another day, `--base-url` for the links in the e-mails,
and `--dry-run` where the command can list what it would send."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class DailyMailCommand(BaseCommand):
    """A command meant for a daily cron job that e-mails people."""

    #: Whether the command offers --dry-run (listing what it would send).
    offers_dry_run = True

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Act as if today were this date (YYYY-MM-DD).")
        parser.add_argument(
            "--base-url", default="", help="The site's address, for links in the e-mails."
        )
        if self.offers_dry_run:
            parser.add_argument(
                "--dry-run", action="store_true", help="List what would be sent; send nothing."
            )

    def today(self, options: dict[str, Any]) -> dt.date:
        """The day to act as: --date, or today; a clear error for a date not YYYY-MM-DD."""
        if not options["date"]:
            return dt.date.today()
        try:
            return dt.date.fromisoformat(str(options["date"]))
        except ValueError as exc:
            raise CommandError(f"--date {options['date']!r} is not YYYY-MM-DD.") from exc
