"""manage.py import_records FILE — load a records document, all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from vru_governance.records.importer import RecordsError, import_records


class Command(BaseCommand):
    help = "Import records in the vru-governance-records/1 JSON format (all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="A records JSON file.")

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        limit = settings.RECORDS_IMPORT_MAX_BYTES
        size = path.stat().st_size
        if size > limit:
            raise CommandError(
                f"{path}: {size:,} bytes, larger than the {limit:,} bytes accepted "
                "(RECORDS_IMPORT_MAX_BYTES); nothing was imported."
            )
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path}: not UTF-8 text ({exc.reason}).") from exc
        except json.JSONDecodeError as exc:
            raise CommandError(
                f"{path}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}."
            ) from exc
        except ValueError as exc:  # e.g. a number too long for Python to convert
            raise CommandError(f"{path}: not usable JSON ({exc}).") from exc
        except RecursionError as exc:
            raise CommandError(f"{path}: not usable JSON (nested too deeply).") from exc
        try:
            summary = import_records(data, base_dir=path.parent)
        except RecordsError as exc:
            for where, message in exc.errors:
                self.stderr.write(f"{where}: {message}")
            raise CommandError(
                f"{path}: {len(exc.errors)} error(s); nothing was imported."
            ) from exc
        self.stdout.write(summary.describe())
