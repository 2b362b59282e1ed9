"""manage.py bench_documents — seconds and peak memory per document (make bench).

Each document is measured in a fresh process (its peak RSS is its own), inside a transaction
that is rolled back, so the demo records and the generated ~60-page pack leave nothing behind.
Where LibreOffice is installed, the same HTML is converted with it for comparison.
"""

from __future__ import annotations

import datetime as dt
import json
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

CASES = {
    "demo-agenda": "Agenda of 1 May 2019 (demo), page references computed from its pack",
    "demo-pack": "Public agenda pack of 1 May 2019 (demo)",
    "demo-minutes": "Summary minutes of 6 March 2019 (demo)",
    "demo-actions-arising": "Actions-arising report of 1 May 2019 (demo)",
    "generated-pack": "Generated public agenda pack of about 60 pages (8 authored papers)",
}
LIBREOFFICE_CASES = ("demo-pack", "generated-pack")


def _rss_mib(who: int = resource.RUSAGE_SELF) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)  # Linux reports KiB


def _paragraphs(section: int, count: int, words: int) -> str:
    sentence = (
        "Partners considered the evidence on serious violence in the borough, the services "
        "that respond to it and the resources that sustain them over the coming year"
    )
    body = " ".join([sentence] * max(1, words // 25))
    return "\n\n".join(f"{section}.{n} {body}." for n in range(1, count + 1))


def _generated_meeting() -> Any:
    """A meeting after 6 March 2019 with eight long papers (rolled back by the caller)."""
    from meetings.models import AgendaItem, Meeting
    from members.models import Body
    from reports.models import Paper

    body = Body.objects.get(slug="prg")
    meeting = Meeting.objects.create(
        body=body,
        key="bench-2019-04-10",
        date=dt.date(2019, 4, 10),
        start_time=dt.time(14, 0),
        place="Committee Room 2, City Hall, The Queen's Walk, London, SE1 2AA",
        status=Meeting.Status.AGENDA_PUBLISHED,
    )
    standard = [
        ("1", "Apologies for Absence and Chair's Announcements", AgendaItem.Kind.APOLOGIES),
        ("2", "Declarations of Interest", AgendaItem.Kind.DECLARATIONS),
        ("3", "Minutes of last meeting", AgendaItem.Kind.MINUTES_OF_LAST_MEETING),
        ("4", "Actions Arising", AgendaItem.Kind.ACTIONS_ARISING),
    ]
    for position, (number, title, kind) in enumerate(standard):
        AgendaItem.objects.create(
            meeting=meeting, number=number, position=position, title=title, kind=kind
        )
    table = "| Activity | Timeline |\n|---|---|\n" + "\n".join(
        f"| Deliver workstream {n} with partners across London | Quarter {n % 4 + 1}, 2019 |"
        for n in range(1, 9)
    )
    for n in range(8):
        item = AgendaItem.objects.create(
            meeting=meeting,
            number=str(5 + n),
            position=10 + n,
            title=f"Programme report {n + 1}",
            presenter="Lib Peck, Director of Violence Reduction Unit",
        )
        Paper.objects.create(
            item=item,
            key=f"report-{n + 1}",
            title=f"Programme report {n + 1}",
            presented_by="Lib Peck, Director of Violence Reduction Unit",
            cleared_by="Lib Peck, Director of Violence Reduction Unit",
            executive_summary=_paragraphs(1, 2, 80),
            recommendations="2.1 The Reference Group is asked to:\n\n- note the report;\n"
            "- agree the next steps.",
            introduction=_paragraphs(3, 8, 170),
            issues=_paragraphs(4, 8, 170) + "\n\n" + table,
            equality_comments=_paragraphs(5, 2, 60),
            financial_comments=_paragraphs(6, 1, 50),
            next_steps=_paragraphs(7, 1, 40),
        )
    tail = [
        ("13", "Any other business the Chair considers urgent", AgendaItem.Kind.AOB),
        ("14", "Date of next meeting", AgendaItem.Kind.DATE_OF_NEXT_MEETING),
        ("15", "Close", AgendaItem.Kind.CLOSE),
    ]
    for position, (number, title, kind) in enumerate(tail, start=30):
        AgendaItem.objects.create(
            meeting=meeting, number=number, position=position, title=title, kind=kind
        )
    return Meeting.objects.select_related("body").get(pk=meeting.pk)


def _renderer(case: str) -> Callable[[], Any]:
    """What to time for a case; records it needs are made beforehand, outside the timing."""
    from meetings.models import Meeting
    from reports.documents.actions_arising import render_actions_arising
    from reports.documents.minutes import render_minutes
    from reports.documents.pack import Audience, build_pack

    def fresh(key: str) -> Meeting:
        return Meeting.objects.select_related("body").get(body__slug="prg", key=key)

    if case == "generated-pack":
        key = _generated_meeting().key
        return lambda: build_pack(fresh(key), Audience.PUBLIC, with_agenda=False).pack
    if case == "demo-minutes":
        return lambda: render_minutes(fresh("2019-03-06"))
    if case == "demo-actions-arising":
        return lambda: render_actions_arising(fresh("2019-05-01"))
    if case == "demo-agenda":
        return lambda: build_pack(fresh("2019-05-01"), Audience.PUBLIC, with_pack=False).agenda
    return lambda: build_pack(fresh("2019-05-01"), Audience.PUBLIC, with_agenda=False).pack


class Command(BaseCommand):
    help = "Render the demo documents and a generated ~60-page pack; write seconds and memory."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--demo", default="docs/demo-records.json")
        default_output = Path(settings.VAR_DIR) / "bench" / "documents.json"
        parser.add_argument("--output", default=str(default_output))
        parser.add_argument("--runs", type=int, default=2, help="Renders per document.")
        parser.add_argument("--case", choices=sorted(CASES), help=argparse_hidden())

    def handle(self, *args: Any, **options: Any) -> None:
        if options["case"]:
            self.stdout.write(json.dumps(self._measure(options)))
            return
        documents = [self._child(case, options) for case in CASES]
        report = {
            "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "machine": {
                "cpus": _cpus(),
                "python": platform.python_version(),
                "platform": platform.platform(),
                "weasyprint": _version("weasyprint"),
                "pypdf": _version("pypdf"),
            },
            "note": "seconds_first: first render in a fresh process (after imports); "
            "seconds_warm: best later render; peak_rss_mib: the process's peak resident "
            "memory, baseline_rss_mib: before the first render (Django, WeasyPrint imported).",
            "documents": documents,
            "libreoffice": self._libreoffice(documents),
        }
        output = Path(options["output"])
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        for d in documents:
            self.stdout.write(
                f"{d['name']:22} {d['pages']:3} pages  first {d['seconds_first']:6.2f} s  "
                f"warm {d['seconds_warm']:6.2f} s  peak {d['peak_rss_mib']:6.1f} MiB"
            )
        self.stdout.write(self.style.SUCCESS(f"Written to {output}"))

    # One document, in this (child) process ------------------------------------------------

    def _measure(self, options: dict[str, Any]) -> dict[str, Any]:
        from members.records.importer import import_records
        from reports.documents.render import CAPTURED_HTML

        started = time.perf_counter()
        import weasyprint  # noqa: F401 — timed on its own: it is paid once per process

        import_seconds = time.perf_counter() - started
        case = options["case"]
        result: dict[str, Any] = {"name": case, "description": CASES[case]}
        with transaction.atomic():
            demo = Path(options["demo"])
            import_records(json.loads(demo.read_text(encoding="utf-8")), base_dir=demo.parent)
            render = _renderer(case)
            baseline = _rss_mib()
            timings = []
            html: list[str] = []
            for run in range(max(1, options["runs"])):
                token = CAPTURED_HTML.set(html if run == 0 else None)
                started = time.perf_counter()
                rendered = render()
                timings.append(time.perf_counter() - started)
                CAPTURED_HTML.reset(token)
            transaction.set_rollback(True)
        if case in LIBREOFFICE_CASES:
            folder = Path(tempfile.mkdtemp(prefix="bench-html-"))
            for index, text in enumerate(html):
                (folder / f"{case}-{index}.html").write_text(text, encoding="utf-8")
            result["html_folder"] = str(folder)
        result.update(
            pages=rendered.pages,
            bytes=len(rendered.pdf),
            weasyprint_import_seconds=round(import_seconds, 2),
            seconds_first=round(timings[0], 2),
            seconds_warm=round(min(timings[1:] or timings), 2),
            baseline_rss_mib=baseline,
            peak_rss_mib=_rss_mib(),
        )
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
            str(options["runs"]),
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise CommandError(f"{case} failed:\n{done.stderr}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    # LibreOffice, where installed ------------------------------------------------------------

    def _libreoffice(self, documents: list[dict[str, Any]]) -> dict[str, Any]:
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        folders = [d.pop("html_folder") for d in documents if "html_folder" in d]
        if soffice is None:
            for folder in folders:
                shutil.rmtree(folder, ignore_errors=True)
            return {"available": False}
        version = subprocess.run(
            [soffice, "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
        results = []
        for folder in map(Path, folders):
            files = sorted(folder.glob("*.html"))
            case = files[0].name.rsplit("-", 1)[0]
            outdir = folder / "pdf"
            profile = folder / "profile"
            started = time.perf_counter()
            subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation=file://{profile}",
                    "--headless",
                    "--convert-to",
                    "pdf:writer_web_pdf_Export",
                    "--outdir",
                    str(outdir),
                    *map(str, files),
                ],
                capture_output=True,
                check=False,
            )
            seconds = time.perf_counter() - started
            pages = 0
            from pypdf import PdfReader

            for pdf in outdir.glob("*.pdf"):
                pages += len(PdfReader(pdf).pages)
            results.append(
                {
                    "name": case,
                    "seconds": round(seconds, 2),
                    "pages": pages,
                    "peak_rss_mib_largest_child_so_far": _rss_mib(resource.RUSAGE_CHILDREN),
                    "note": "same HTML; LibreOffice ignores most of the print CSS "
                    "(page-margin boxes, right-hand starts, running headers)",
                }
            )
            shutil.rmtree(folder, ignore_errors=True)
        return {"available": True, "version": version, "documents": results}


def argparse_hidden() -> str:
    import argparse

    return argparse.SUPPRESS


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)
