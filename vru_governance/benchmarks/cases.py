"""The documents make bench renders: the demo's, and generated meetings with long papers.

Each case is measured in a fresh process by `manage.py bench_documents --case`, inside a
transaction that is rolled back (see
vru_governance/benchmarks/management/commands/bench_documents.py).
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import transaction

from meetings.models import AgendaItem, Meeting
from members.models import Body
from reports.documents.actions_arising import render_actions_arising
from reports.documents.minutes import render_minutes
from reports.documents.pack import Audience, build_pack
from reports.documents.render import CAPTURED_HTML
from reports.models import Paper
from vru_governance.benchmarks.measure import rss_mib, workers_peak_mib
from vru_governance.records.importer import import_records

CASES = {
    "demo-agenda": "Agenda of 1 May 2019 (demo), page references computed from its pack",
    "demo-pack": "Public agenda pack of 1 May 2019 (demo)",
    "demo-minutes": "Summary minutes of 6 March 2019 (demo)",
    "demo-actions-arising": "Actions-arising report of 1 May 2019 (demo)",
    "generated-pack": "Generated public agenda pack of about 60 pages (8 authored papers)",
    "pack-54": "Generated 54-page agenda pack: cold, after one paper changed, and LibreOffice",
}
LIBREOFFICE_CASES = ("demo-pack", "generated-pack")
# Standalone documents are laid out in the process that asks (render.render_pdf), not in workers.
LAID_OUT_HERE = ("demo-minutes", "demo-actions-arising")
PART_CACHE = "bench-document-parts"


def paragraphs(section: int, count: int, words: int) -> str:
    """Numbered paragraphs (4.1, 4.2, …) of about `words` words, as a long paper has."""
    sentence = (
        "Partners considered the evidence on serious violence in the borough, the services "
        "that respond to it and the resources that sustain them over the coming year"
    )
    body = " ".join([sentence] * max(1, words // 25))
    return "\n\n".join(f"{section}.{n} {body}." for n in range(1, count + 1))


def generated_meeting(
    papers: int = 8,
    key: str = "bench-2019-04-10",
    longer: int = 0,
    *,
    body_slug: str = "prg",
    date: dt.date = dt.date(2019, 4, 10),
    status: str = Meeting.Status.AGENDA_PUBLISHED,
) -> Meeting:
    """A meeting after 6 March 2019 with long papers (rolled back by the caller).

    `longer` adds that many paragraphs to the issues of the first paper. make bench's
    publish row makes one in draft, of the decade's first body, after its last meeting.
    """
    body = Body.objects.get(slug=body_slug)
    meeting = Meeting.objects.create(
        body=body,
        key=key,
        date=date,
        start_time=dt.time(14, 0),
        place="Committee Room 2, City Hall, The Queen's Walk, London, SE1 2AA",
        status=Meeting.Status.DRAFT,  # its items and papers are added to a draft
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
            executive_summary=paragraphs(1, 2, 80),
            recommendations="2.1 The Reference Group is asked to:\n\n- note the report;\n"
            "- agree the next steps.",
            introduction=paragraphs(3, 8, 170),
            issues=paragraphs(4, 8 + (longer if n == 0 else 0), 170) + "\n\n" + table,
            equality_comments=paragraphs(5, 2, 60),
            financial_comments=paragraphs(6, 1, 50),
            next_steps=paragraphs(7, 1, 40),
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
    # Then published as asked, as the bench renders it, without a publication's freezing.
    Meeting.objects.filter(pk=meeting.pk).update(status=status)
    return Meeting.objects.select_related("body").get(pk=meeting.pk)


def renderer(case: str) -> Callable[[], Any]:
    """What to time for a case; records it needs are made beforehand, outside the timing."""

    def fresh(key: str) -> Meeting:
        return Meeting.objects.select_related("body").get(body__slug="prg", key=key)

    if case == "generated-pack":
        key = generated_meeting().key
        return lambda: build_pack(fresh(key), Audience.PUBLIC, with_agenda=False).pack
    if case == "demo-minutes":
        return lambda: render_minutes(fresh("2019-03-06"))
    if case == "demo-actions-arising":
        return lambda: render_actions_arising(fresh("2019-05-01"))
    if case == "demo-agenda":
        return lambda: build_pack(fresh("2019-05-01"), Audience.PUBLIC, with_pack=False).agenda
    return lambda: build_pack(fresh("2019-05-01"), Audience.PUBLIC, with_agenda=False).pack


def load_demo(options: dict[str, Any]) -> None:
    """The demo records, through the real importer (the caller rolls them back)."""
    demo = Path(options["demo"])
    import_records(json.loads(demo.read_text(encoding="utf-8")), base_dir=demo.parent)


def measure_document(options: dict[str, Any]) -> dict[str, Any]:
    """One demo or generated document: seconds first and warm, pages, peak memory."""
    case = options["case"]
    result: dict[str, Any] = {"name": case, "description": CASES[case]}
    with transaction.atomic():
        load_demo(options)
        render = renderer(case)
        baseline = rss_mib()
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
        peak_rss_mib=rss_mib(),
        peak_rss_mib_workers=workers_peak_mib(),
    )
    return result
