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
from django.test import override_settings

CASES = {
    "demo-agenda": "Agenda of 1 May 2019 (demo), page references computed from its pack",
    "demo-pack": "Public agenda pack of 1 May 2019 (demo)",
    "demo-minutes": "Summary minutes of 6 March 2019 (demo)",
    "demo-actions-arising": "Actions-arising report of 1 May 2019 (demo)",
    "generated-pack": "Generated public agenda pack of about 60 pages (8 authored papers)",
    "pack-54": "Generated 54-page agenda pack: cold, after one paper changed, and LibreOffice",
}
LIBREOFFICE_CASES = ("demo-pack", "generated-pack")
# The goals of the agenda-pack work (issue: agenda-pack rendering speed).
GOAL_COLD_RATIO = 1.5  # cold render / LibreOffice converting the same content
GOAL_CHANGED_RATIO = 0.5  # re-render after one paper changed / LibreOffice
GOAL_PEAK_MIB = 150.0  # peak RSS of any one render process
PART_CACHE = "bench-document-parts"


def _rss_mib(who: int = resource.RUSAGE_SELF) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)  # Linux reports KiB


def _paragraphs(section: int, count: int, words: int) -> str:
    sentence = (
        "Partners considered the evidence on serious violence in the borough, the services "
        "that respond to it and the resources that sustain them over the coming year"
    )
    body = " ".join([sentence] * max(1, words // 25))
    return "\n\n".join(f"{section}.{n} {body}." for n in range(1, count + 1))


def _generated_meeting(papers: int = 8, key: str = "bench-2019-04-10", longer: int = 0) -> Any:
    """A meeting after 6 March 2019 with long papers (rolled back by the caller).

    `longer` adds that many paragraphs to the issues of the first paper.
    """
    from meetings.models import AgendaItem, Meeting
    from members.models import Body
    from reports.models import Paper

    body = Body.objects.get(slug="prg")
    meeting = Meeting.objects.create(
        body=body,
        key=key,
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
    for n in range(papers):
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
            issues=_paragraphs(4, 8 + (longer if n == 0 else 0), 170) + "\n\n" + table,
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
            meeting=meeting,
            number=str(5 + papers + int(number) - 13),
            position=position,
            title=title,
            kind=kind,
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
                "cpus": _cpus(),
                "python": platform.python_version(),
                "platform": platform.platform(),
                "weasyprint": _version("weasyprint"),
                "pypdf": _version("pypdf"),
                "pikepdf": _version("pikepdf"),
                "harfbuzz_subset": _harfbuzz_subset(),
            },
            "note": "seconds_first: first render in a fresh process (after imports), nothing "
            "cached; seconds_warm: best later render (agenda and packs: their parts cached; "
            "pack-54: after one paper changed); peak_rss_mib: the process's peak resident "
            "memory, peak_rss_mib_workers: its largest worker's; baseline_rss_mib: before the "
            "first render (Django, WeasyPrint imported).",
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
        started = time.perf_counter()
        # Timed on their own: they are paid once per process.
        import pikepdf  # noqa: F401
        import weasyprint  # noqa: F401

        import_seconds = time.perf_counter() - started
        # A part cache of this process's own: "first" is a render with nothing cached.
        part_cache = {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": PART_CACHE,
            "OPTIONS": {"MAX_ENTRIES": 1000},
        }
        with override_settings(
            CACHES={**settings.CACHES, PART_CACHE: part_cache}, DOCUMENTS_PART_CACHE=PART_CACHE
        ):
            if options["case"] == "pack-54":
                result = self._pack_54(options)
            else:
                result = self._document(options)
        result["weasyprint_import_seconds"] = round(import_seconds, 2)
        return result

    def _load_demo(self, options: dict[str, Any]) -> None:
        from members.records.importer import import_records

        demo = Path(options["demo"])
        import_records(json.loads(demo.read_text(encoding="utf-8")), base_dir=demo.parent)

    def _document(self, options: dict[str, Any]) -> dict[str, Any]:
        from reports.documents.render import CAPTURED_HTML

        case = options["case"]
        result: dict[str, Any] = {"name": case, "description": CASES[case]}
        with transaction.atomic():
            self._load_demo(options)
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
            seconds_first=round(timings[0], 2),
            seconds_warm=round(min(timings[1:] or timings), 2),
            baseline_rss_mib=baseline,
            peak_rss_mib=_rss_mib(),
            peak_rss_mib_workers=_rss_mib(resource.RUSAGE_CHILDREN),
        )
        return result

    def _pack_54(self, options: dict[str, Any]) -> dict[str, Any]:
        """The agenda-pack goals, measured side by side with LibreOffice in this process.

        First our renders alone (so that the largest worker's memory is ours): cold, unchanged,
        one paper changed. Then, `runs` times, LibreOffice, a cold render and a change, one
        after the other, so that a busy machine slows both sides alike; the best of each is
        compared.
        """
        from django.core.cache import caches

        from meetings.models import Meeting
        from reports.documents.pack import Audience, build_pack
        from reports.documents.parts import workers
        from reports.documents.render import CAPTURED_HTML
        from reports.models import Paper

        runs = max(1, options["runs"])  # the parent passes --pack-runs here
        html: list[str] = []
        with transaction.atomic():
            self._load_demo(options)
            key = _generated_meeting(papers=7, key="bench-pack-54", longer=6).key
            paper = Paper.objects.get(item__meeting__key=key, key="report-3")
            summary = paper.executive_summary
            revisions = iter(range(2030, 2100))

            def publish(*, with_agenda: bool = True) -> tuple[Any, float, float]:
                """The pack, and the agenda of its own as publishing renders it too."""
                started, cpu = time.perf_counter(), _cpu_seconds()
                meeting = Meeting.objects.select_related("body").get(body__slug="prg", key=key)
                result = build_pack(meeting, Audience.PUBLIC, with_agenda=with_agenda)
                return result, time.perf_counter() - started, _cpu_seconds() - cpu

            def cold(capture: list[str] | None = None) -> tuple[Any, float, float]:
                """The pack (pack.pdf) with nothing cached."""
                caches[PART_CACHE].clear()
                token = CAPTURED_HTML.set(capture)
                try:
                    return publish(with_agenda=False)
                finally:
                    CAPTURED_HTML.reset(token)

            def change() -> tuple[Any, float, float]:
                # One paper edited between publications: a few words of its summary.
                paper.executive_summary = summary.replace(
                    "the coming year", f"the year {next(revisions)}", 1
                )
                paper.save()
                return publish()

            baseline = _rss_mib()
            samples: dict[str, list] = {"cold": [], "changed": [], "libreoffice": []}
            first, seconds, cpu = cold(html)
            samples["cold"].append((seconds, cpu))
            unchanged, unchanged_seconds, _ = publish()
            again, seconds, cpu = change()
            samples["changed"].append((seconds, cpu))
            rendered_after_change = [again.pack.extra["rendered"]]
            peak_self = _rss_mib()
            peak_workers = _rss_mib(resource.RUSAGE_CHILDREN)  # before LibreOffice runs

            libreoffice = _LibreOffice(html)
            try:
                for _ in range(runs):
                    samples["libreoffice"].append(libreoffice.convert())
                    _, seconds, cpu = cold()
                    samples["cold"].append((seconds, cpu))
                    publish()  # published once (pack and agenda), as before any change
                    again, seconds, cpu = change()
                    samples["changed"].append((seconds, cpu))
                    rendered_after_change.append(again.pack.extra["rendered"])
                lo = libreoffice.report(samples["libreoffice"])
            finally:
                libreoffice.close()
            transaction.set_rollback(True)
        pack = first.pack
        best = {name: min(values) if values else None for name, values in samples.items()}
        goals: dict[str, Any] = {
            "peak_rss": {
                "goal": f"every render process under {GOAL_PEAK_MIB:.0f} MiB",
                "measured_mib": max(peak_self, peak_workers),
                "met": max(peak_self, peak_workers) < GOAL_PEAK_MIB,
            }
        }
        if best["libreoffice"]:
            lo_seconds = best["libreoffice"][0]
            goals["cold"] = _goal(best["cold"][0], lo_seconds, GOAL_COLD_RATIO, "cold render")
            goals["changed"] = _goal(
                best["changed"][0], lo_seconds, GOAL_CHANGED_RATIO, "re-render, one paper changed"
            )
        else:
            goals["cold"] = goals["changed"] = {"met": None, "note": "LibreOffice not installed"}
        return {
            "name": "pack-54",
            "description": CASES["pack-54"],
            "pages": pack.pages,
            "bytes": len(pack.pdf),
            "workers": workers(),
            "renders_what": "cold: the public pack (pack.pdf), nothing cached; changed: the "
            "public pack and the agenda, as re-publishing renders them, after one paper changed",
            "seconds_first": round(best["cold"][0], 2),
            "seconds_warm": round(best["changed"][0], 2),
            "cold_runs": _samples(samples["cold"]),
            "seconds_unchanged": round(unchanged_seconds, 2),
            "rendered_when_unchanged": unchanged.pack.extra["rendered"],
            "changed_runs": _samples(samples["changed"]),
            "rendered_after_one_paper_changed": rendered_after_change,
            "baseline_rss_mib": baseline,
            "peak_rss_mib": peak_self,
            "peak_rss_mib_workers": peak_workers,
            "libreoffice": lo,
            "goals": goals,
            "met": all(g.get("met") for g in goals.values()),
            "note": "seconds are wall-clock on this machine as it was (other work running "
            "slows both sides); cpu_seconds add up this process and its workers (ours) or "
            "LibreOffice's processes",
        }

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


def _harfbuzz_subset() -> bool:
    """WeasyPrint subsets fonts with HarfBuzz (fast) when libharfbuzz-subset0 is installed."""
    from weasyprint.text.ffi import harfbuzz_subset

    return harfbuzz_subset is not None


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


def _goal(seconds: float, libreoffice: float, ratio: float, what: str) -> dict[str, Any]:
    return {
        "goal": f"{what} in at most {ratio} x LibreOffice's time",
        "seconds": round(seconds, 2),
        "libreoffice_seconds": round(libreoffice, 2),
        "ratio": round(seconds / libreoffice, 2),
        "met": seconds <= ratio * libreoffice,
    }


def _cpu_seconds() -> float:
    """CPU time of this process and of its children that have ended (workers, soffice)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _samples(values: list[tuple[float, float]]) -> dict[str, list[float]]:
    return {
        "seconds": [round(s, 2) for s, _ in values],
        "cpu_seconds": [round(c, 2) for _, c in values],
    }


class _LibreOffice:
    """LibreOffice converting the same HTML pieces to PDF, its profile made beforehand."""

    def __init__(self, pieces: list[str]) -> None:
        self.soffice = shutil.which("soffice") or shutil.which("libreoffice")
        self.folder = Path(tempfile.mkdtemp(prefix="bench-lo-"))
        self.files = []
        for index, text in enumerate(pieces):
            path = self.folder / f"piece-{index:02d}.html"
            path.write_text(text, encoding="utf-8")
            self.files.append(str(path))
        self.runs = 0
        if self.soffice:
            warm = self.folder / "warm.html"
            warm.write_text("<p>warm-up</p>", encoding="utf-8")
            self._run([str(warm)], self.folder / "warm")  # makes the profile; not timed

    def _run(self, sources: list[str], outdir: Path) -> None:
        assert self.soffice is not None
        subprocess.run(
            [
                self.soffice,
                f"-env:UserInstallation=file://{self.folder / 'profile'}",
                "--headless",
                "--convert-to",
                "pdf:writer_web_pdf_Export",
                "--outdir",
                str(outdir),
                *sources,
            ],
            capture_output=True,
            check=False,
        )

    def convert(self) -> tuple[float, float] | None:
        if self.soffice is None:
            return None
        started, cpu = time.perf_counter(), _cpu_seconds()
        self._run(self.files, self.folder / f"pdf-{self.runs}")
        self.runs += 1
        return time.perf_counter() - started, _cpu_seconds() - cpu

    def report(self, samples: list) -> dict[str, Any]:
        from pypdf import PdfReader

        if self.soffice is None:
            return {"available": False, "install": "apt-get install -y libreoffice-writer-nogui"}
        outputs = sorted((self.folder / "pdf-0").glob("*.pdf"))
        version = subprocess.run(
            [self.soffice, "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
        return {
            "available": True,
            "version": version,
            "pieces": len(self.files),
            "pdfs": len(outputs),
            "pages": sum(len(PdfReader(pdf).pages) for pdf in outputs),
            "seconds": round(min(samples)[0], 2),
            "runs": _samples(samples),
            "peak_rss_mib_largest_child": _rss_mib(resource.RUSAGE_CHILDREN),
            "note": "one soffice --headless --convert-to pdf over the same HTML pieces (the "
            "parts and the agenda); LibreOffice ignores most of the print CSS (page-margin "
            "boxes, right-hand starts, running headers), so its page count differs",
        }

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
