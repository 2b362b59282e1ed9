"""manage.py generate_scale_data — write a decade of generated records for load tests.

The file is in the records format, so `manage.py import_records FILE` loads it through the
real importer with every rule applied (make bench times exactly that).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from vru_governance.records.progress import Progress
from vru_governance.records.scale import BODIES, DEFAULT_SEED, Generator, counts


class Command(BaseCommand):
    help = (
        "Write generated records (a decade of five bodies at scale 1: about 600 meetings, "
        "8,000 agenda items, 30,000 minute paragraphs, 12,000 actions) to a JSON file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            "-o",
            default=str(Path(settings.VAR_DIR) / "scale" / "records.json"),
            help="The file to write (default: var/scale/records.json).",
        )
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="1 is a decade of monthly meetings per body; 0.05 is six meetings each.",
        )
        parser.add_argument(
            "--bodies", type=int, default=len(BODIES), help="How many bodies (default 5)."
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="The same seed gives the same file."
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Print no progress bar on stderr."
        )

    def handle(self, *args, **options) -> None:
        try:
            generator = Generator(options["scale"], options["bodies"], options["seed"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        output = Path(options["output"])
        started = time.monotonic()
        bar = None
        if not options["no_progress"]:
            bar = Progress("Generating meetings", generator.total_meetings, self.stderr._out)
        document = generator.document(bar.advance if bar else None)
        if bar is not None:
            bar.close()
        output.parent.mkdir(parents=True, exist_ok=True)
        # Written beside the target and renamed, so a failed run never leaves half a file.
        partial = output.with_name(output.name + ".partial")
        partial.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        partial.replace(output)
        summary = ", ".join(f"{n} {kind}" for kind, n in counts(document).items())
        size = output.stat().st_size / (1024 * 1024)
        self.stdout.write(
            f"Wrote {output} ({size:.1f} MiB) in {time.monotonic() - started:.1f}s: {summary}."
        )
