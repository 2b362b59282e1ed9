"""manage.py restore DIR — records and published documents from a backup, all or nothing."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vru_governance.records.backup import restore
from vru_governance.records.importer import RecordsError


class Command(BaseCommand):
    help = (
        "Restore a folder written by `backup`: the records, then the published documents, "
        "each checked against its SHA-256. Any error and nothing is changed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", help="A folder written by `manage.py backup`.")

    def handle(self, *args, **options) -> None:
        directory = Path(options["directory"])
        if not directory.is_dir():
            raise CommandError(f"{directory}: no such folder.")
        try:
            summary = restore(directory)
        except RecordsError as exc:
            for where, message in exc.errors:
                self.stderr.write(f"{where}: {message}")
            raise CommandError(
                f"{directory}: {len(exc.errors)} error(s); nothing was restored."
            ) from exc
        self.stdout.write(summary.describe())
