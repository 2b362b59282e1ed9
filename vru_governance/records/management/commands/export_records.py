"""manage.py export_records [--body SLUG] — write records with computed quorum and composition."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from members.models import Body
from vru_governance.records.exporter import export_records


class Command(BaseCommand):
    help = "Export records in the vru-governance-records/1 JSON format."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--body", help="Only this body (its slug).")
        parser.add_argument("--output", "-o", help="Write to this file instead of standard output.")

    def handle(self, *args, **options) -> None:
        slug = options.get("body")
        if slug and not Body.objects.filter(slug=slug).exists():
            known = ", ".join(Body.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"No body '{slug}' (bodies: {known}).")
        output = options.get("output")
        files_dir = Path(output).parent if output else None
        text = json.dumps(export_records(slug, files_dir=files_dir), indent=2, ensure_ascii=False)
        if output:
            Path(output).write_text(text + "\n", encoding="utf-8")
        else:
            self.stdout.write(text)
