"""How long the publication job takes on the 54-page pack, with and without the generated
parts (the last meeting's minutes, the actions-arising report) rendered ahead (issue 16).

Both runs first render the papers' parts ahead, as the job a saved paper enqueues does; the
second also renders the generated parts ahead, as that job now does too. Each then times the
publication job (reports.publishing.run): what it renders before the meeting's lock, and the
stitching, numbering and freezing under it. Everything is rolled back.

    DEBUG=true DATABASE_URL=sqlite:////tmp/publish-ahead.sqlite3 \\
        STORAGE_OPTIONS='{"location": "/tmp/publish-ahead-media"}' \\
        .venv/bin/python manage.py migrate
    (same environment) .venv/bin/python bench/publish_ahead.py [runs]
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vru_governance.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import caches  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import override_settings  # noqa: E402

from meetings.models import Meeting  # noqa: E402
from meetings.services.publication import agenda_checks  # noqa: E402
from reports import publishing  # noqa: E402
from reports.documents.ahead import render_generated_ahead, render_paper_ahead  # noqa: E402
from reports.models import Paper  # noqa: E402
from tests.demo import load_demo  # noqa: E402
from vru_governance.benchmarks.cases import generated_meeting  # noqa: E402

PARTS = "publish-ahead-parts"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    PARTS: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": PARTS},
}


class Rollback(Exception):
    pass


def publish_once(generated_ahead: bool) -> dict[str, float]:
    """One publication of a fresh 54-page draft, its parts rendered ahead as asked."""
    caches[PARTS].clear()
    timings: dict[str, float] = {}
    try:
        with transaction.atomic():
            load_demo()
            meeting = generated_meeting(
                papers=7, key="publish-ahead-54", longer=6, status=Meeting.Status.DRAFT
            )
            for paper in Paper.objects.filter(item__meeting=meeting).select_related("item"):
                render_paper_ahead(paper)
            started = time.perf_counter()
            timings["generated_rendered"] = (
                render_generated_ahead(meeting) if generated_ahead else 0
            )
            timings["ahead_seconds"] = time.perf_counter() - started
            reasons = {c.key: "Measured." for c in agenda_checks(meeting) if c.blocks}
            publication = publishing.request_publication(meeting, None, reasons)
            totals: list[int] = []
            real = publishing._set

            def spy(pk: int, **fields: object) -> None:
                if "total" in fields:
                    totals.append(int(fields["total"]))
                if fields.get("state") == "freezing":
                    timings["before_lock_seconds"] = time.perf_counter() - started
                real(pk, **fields)

            publishing._set = spy
            try:
                started = time.perf_counter()
                state = publishing.run(publication.pk)
                timings["publish_seconds"] = time.perf_counter() - started
            finally:
                publishing._set = real
            if state != "done":
                raise SystemExit(f"publication {state}: {publication.error}")
            timings["parts_rendered_by_the_job"] = totals[0] if totals else 0
            raise Rollback
    except Rollback:
        pass
    return timings


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    with override_settings(CACHES=CACHES, DOCUMENTS_PART_CACHE=PARTS, DOCUMENTS_RENDER_AHEAD=True):
        publish_once(False)  # warm: WeasyPrint imported, fonts loaded
        for label, ahead in (("papers ahead only", False), ("papers and generated ahead", True)):
            results = [publish_once(ahead) for _ in range(runs)]
            seconds = [r["publish_seconds"] for r in results]
            before = statistics.median(r["before_lock_seconds"] for r in results)
            print(
                f"{label}: publication job median {statistics.median(seconds):.2f} s "
                f"(runs {', '.join(f'{s:.2f}' for s in seconds)}), of which rendering before "
                f"the lock {before:.2f} s; parts the job rendered "
                f"{results[0]['parts_rendered_by_the_job']}; generated parts rendered ahead "
                f"{results[0]['generated_rendered']} in {results[0]['ahead_seconds']:.2f} s"
            )


if __name__ == "__main__":
    main()
