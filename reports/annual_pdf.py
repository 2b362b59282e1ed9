"""The annual report's PDF as a stored file rendered by a job, never by a request.

A request reads the year's figures (a fixed number of queries), renders the PDF's HTML to know
its digest (reports/documents/annual_report.py) and serves the copy stored under it. When
there is none yet (the records changed since, or nobody asked before) it asks for the job and
says the PDF is being prepared. Freezing a meeting's documents (an agenda or minutes
published or corrected) asks for the job of the meeting's year too, so the copy is usually
ready before anyone asks. A job renders only what is not stored, and removes the copies of
the year's older figures once the new one is stored.
"""

from __future__ import annotations

import hashlib
import logging

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django_tasks import task

from members.models import Body
from reports.annual import annual_report, report_years
from reports.documents.annual_report import annual_report_source, render_annual_report
from reports.documents.render import rendered_in_workers
from reports.models import AnnualReportPdf

logger = logging.getLogger(__name__)

# A job asked for and not finished within this is taken as lost: it may be asked for again.
QUEUED_SECONDS = 10 * 60


def stored_annual_pdf(body: Body, year: int, digest: str) -> AnnualReportPdf | None:
    """The copy rendered from these figures, if stored (one query)."""
    return AnnualReportPdf.objects.filter(body=body, year=year, digest=digest).first()


def queued_key(body_id: int, year: int) -> str:
    return f"annual-report-pdf-queued:{body_id}:{year}"


def ask_for_annual_pdf(body: Body, year: int) -> None:
    """Once the current transaction commits, queue the job rendering the year's report,
    unless one is queued already (many readers asking at once queue one job)."""
    body_id = body.pk
    transaction.on_commit(lambda: _enqueue(body_id, year))


def annual_pdfs_changed(body: Body, years: set[int]) -> None:
    """The records of these years changed (a freeze): queue their reports' jobs."""
    for year in sorted(years):
        ask_for_annual_pdf(body, year)


def _enqueue(body_id: int, year: int) -> None:
    try:
        if not cache.add(queued_key(body_id, year), 1, QUEUED_SECONDS):
            return
    except Exception:  # noqa: BLE001 — the cache only saves queuing the same job twice
        logger.warning("Cache unavailable: queuing the annual report job", exc_info=True)
    try:
        render_annual_pdf_job.enqueue(body_id, year)
    except Exception:  # the next reader asks again
        logger.warning(
            "Could not queue the annual report %s of body %s", year, body_id, exc_info=True
        )
        _forget(body_id, year)


def _forget(body_id: int, year: int) -> None:
    try:
        cache.delete(queued_key(body_id, year))
    except Exception:  # noqa: BLE001 — it expires by itself
        logger.warning("Cache unavailable", exc_info=True)


@task()
def render_annual_pdf_job(body_id: int, year: int) -> str:
    """The job: the year's report rendered from the records as they are now, and stored."""
    try:
        return store_annual_pdf(body_id, year)
    finally:
        _forget(body_id, year)


def store_annual_pdf(body_id: int, year: int) -> str:
    """Render and store the report of the year's current figures unless stored already;
    returns "stored", "already stored" or "no report" (no published records that year)."""
    body = Body.objects.filter(pk=body_id).first()
    if body is None or year not in report_years(body):
        return "no report"
    source = annual_report_source(annual_report(body=body, year=year))
    if stored_annual_pdf(body, year, source.digest) is not None:
        return "already stored"
    # Rendered outside any transaction (nothing is locked while the PDF is laid out), in a
    # worker process with the time limit: the embedded setup runs jobs in the web process.
    with rendered_in_workers():
        rendered = render_annual_report(source)
    document = AnnualReportPdf(
        body=body,
        year=year,
        digest=source.digest,
        sha256=hashlib.sha256(rendered.pdf).hexdigest(),
        size=len(rendered.pdf),
        pages=rendered.pages,
    )
    document.file.save(f"{year}.pdf", ContentFile(rendered.pdf), save=False)
    try:
        with transaction.atomic():
            document.full_clean()
            document.save()
            older = list(
                AnnualReportPdf.objects.filter(body=body, year=year).exclude(pk=document.pk)
            )
            AnnualReportPdf.objects.filter(pk__in=[o.pk for o in older]).delete()
    except (IntegrityError, ValidationError):  # another job stored the same figures meanwhile
        document.file.delete(save=False)
        return "already stored"
    for old in older:  # the files of the year's older figures, no longer served
        old.file.delete(save=False)
    return "stored"
