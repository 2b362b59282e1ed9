"""manage.py backup DIR [--body SLUG] — records and published documents, ready to restore."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vru_governance.records.backup import backup
from vru_governance.records.importer import RecordsError


class Command(BaseCommand):
    help = (
        "Write records.json (with uploaded papers) and every published document, checked "
        "against its SHA-256, with their manifest documents.json, to a folder."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", help="The backup folder (created if need be).")
        parser.add_argument("--body", help="Only this body (its slug).")

    def handle(self, *args, **options) -> None:
        directory = Path(options["directory"])
        if directory.exists() and any(directory.iterdir()):
            raise CommandError(f"{directory}: not empty; back up into a new folder.")
        try:
            summary = backup(directory, options["body"])
        except RecordsError as exc:
            for where, message in exc.errors:
                self.stderr.write(f"{where}: {message}")
            raise CommandError("The backup is incomplete: see above.") from exc
        self.stdout.write(summary.describe())
