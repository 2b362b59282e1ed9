"""manage.py bench_documents — seconds and peak memory per document (make bench).

Each document is measured in a fresh process (its peak RSS is its own), inside a transaction
that is rolled back, so the demo records and the generated packs leave nothing behind, and
with a part cache of its own (in memory), so that "first" means nothing cached.

The case pack-54 checks the agenda-pack goals side by side with LibreOffice in the same
process: a 54-page pack rendered cold (nothing cached), re-rendered after one paper changed,
and LibreOffice converting the same HTML pieces (the parts and the agenda); the ratios and
MET / NOT MET are written to the report with the peak memory of the process and its workers.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test import override_settings

from reports.documents.parts import workers
from reports.documents.workers import start_fork_server
from vru_governance.benchmarks.cases import CASES, LAID_OUT_HERE, PART_CACHE, measure_document
from vru_governance.benchmarks.libreoffice import convert_documents
from vru_governance.benchmarks.measure import (
    cpus,
    has_harfbuzz_subset,
    package_version,
    reading_workers,
)
from vru_governance.benchmarks.pack54 import measure_pack_54


class Command(BaseCommand):
    help = "Render the demo documents and a generated ~60-page pack; write seconds and memory."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--demo", default="docs/demo-records.json")
        default_output = Path(settings.VAR_DIR) / "bench" / "documents.json"
        parser.add_argument("--output", default=str(default_output))
        parser.add_argument("--runs", type=int, default=2, help="Renders per document.")
        parser.add_argument(
            "--pack-runs", type=int, default=3, help="Runs of each pack-54 measurement (best)."
        )
        parser.add_argument(
            "--only", nargs="+", choices=sorted(CASES), help="Measure only these documents."
        )
        parser.add_argument("--case", choices=sorted(CASES), help=argparse_hidden())

    def handle(self, *args: Any, **options: Any) -> None:
        if options["case"]:
            self.stdout.write(json.dumps(self._measure(options)))
            return
        documents = [self._child(case, options) for case in options["only"] or CASES]
        report = {
            "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "machine": {
                "cpus": cpus(),
                "python": platform.python_version(),
                "platform": platform.platform(),
                "weasyprint": package_version("weasyprint"),
                "pypdf": package_version("pypdf"),
                "pikepdf": package_version("pikepdf"),
                "harfbuzz_subset": has_harfbuzz_subset(),
            },
            "note": "seconds_first: first render in a fresh process (after imports), nothing "
            "cached; seconds_warm: best later render (agenda and packs: their parts cached; "
            "pack-54: after one paper changed); peak_rss_mib: the process's peak resident "
            "memory, peak_rss_mib_workers: its largest worker's (they come from a fork "
            "server started with the process, as the web server starts one; read from /proc "
            "before each pool ends); baseline_rss_mib: before the "
            "first render (Django; WeasyPrint too when this process lays documents out or "
            "forks its workers; weasyprint_import_seconds: until WeasyPrint is loaded where "
            "the renders happen).",
            "documents": documents,
            "libreoffice": convert_documents(documents),
        }
        output = Path(options["output"])
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        for d in documents:
            self.stdout.write(
                f"{d['name']:22} {d['pages']:3} pages  first {d['seconds_first']:6.2f} s  "
                f"warm {d['seconds_warm']:6.2f} s  peak {d['peak_rss_mib']:6.1f} MiB"
            )
            for name, goal in d.get("goals", {}).items():
                verdict = {True: "MET", False: "NOT MET", None: "NOT MEASURED"}[goal.get("met")]
                figures = (
                    f"{goal['seconds']:.2f} s vs LibreOffice {goal['libreoffice_seconds']:.2f} s"
                    f" = {goal['ratio']:.2f} x"
                    if "ratio" in goal
                    else f"{goal.get('measured_mib', '')} MiB"
                )
                self.stdout.write(f"  {name:8} {verdict:8} {goal.get('goal', '')}: {figures}")
        self.stdout.write(self.style.SUCCESS(f"Written to {output}"))

    # One document, in this (child) process ------------------------------------------------

    def _measure(self, options: dict[str, Any]) -> dict[str, Any]:
        # The workers come from a fork server, as the web server's do (wsgi.py starts it at
        # boot), with only what rendering needs loaded: this process loads WeasyPrint only if it
        # lays documents out itself. Timed on their own, and waited for, like the imports
        # (paid once per process, long before a server's first render).
        started = time.perf_counter()
        served = workers() != 1 and "forkserver" in multiprocessing.get_all_start_methods()
        if served:
            start_fork_server()
            ready = multiprocessing.get_context("forkserver").Process(target=time.sleep, args=(0,))
            ready.start()  # once the server has loaded WeasyPrint
            ready.join()
        if not served or options["case"] in LAID_OUT_HERE:  # this process renders, or forks
            import pikepdf  # noqa: F401
            import weasyprint  # noqa: F401

        import_seconds = time.perf_counter() - started
        # A part cache of this process's own: "first" is a render with nothing cached.
        part_cache = {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": PART_CACHE,
            "OPTIONS": {"MAX_ENTRIES": 1000},
        }
        with (
            override_settings(
                CACHES={**settings.CACHES, PART_CACHE: part_cache}, DOCUMENTS_PART_CACHE=PART_CACHE
            ),
            reading_workers(),
        ):
            if options["case"] == "pack-54":
                result = measure_pack_54(options)
            else:
                result = measure_document(options)
        result["weasyprint_import_seconds"] = round(import_seconds, 2)
        return result

    def _child(self, case: str, options: dict[str, Any]) -> dict[str, Any]:
        command = [
            sys.executable,
            str(Path(settings.BASE_DIR) / "manage.py"),
            "bench_documents",
            "--case",
            case,
            "--demo",
            options["demo"],
            "--runs",
            str(options["pack_runs"] if case == "pack-54" else options["runs"]),
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise CommandError(f"{case} failed:\n{done.stderr}")
        return json.loads(done.stdout.strip().splitlines()[-1])


def argparse_hidden() -> str:
    import argparse

    return argparse.SUPPRESS
