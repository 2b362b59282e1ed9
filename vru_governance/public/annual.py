"""The public annual report of a body (issue 18, capability 6): the year's figures from its
published records as server-rendered SVG bar charts, each with its numbers in a table, and
the same report as a stored PDF that a job renders (reports/annual_pdf.py)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from reports.annual import AnnualReport, annual_report, charts, report_years
from reports.annual_pdf import ask_for_annual_pdf, stored_annual_pdf
from reports.documents.annual_report import annual_report_source
from reports.models import AnnualReportPdf
from reports.published import body_or_404
from vru_governance import page_cache
from vru_governance.public.documents import stored_file_response

# How long the page saying the PDF is being prepared waits before it reloads itself.
RETRY_SECONDS = 10
DIGEST_KEY = "public-annual:digest"


def report_or_404(body_slug: str, year: int) -> AnnualReport:
    """The report of a year with a published agenda; any other year is not found."""
    body = body_or_404(body_slug)
    if year not in report_years(body):
        raise Http404("No published records for that year.")
    return annual_report(body=body, year=year)


def _digest(report: AnnualReport) -> str:
    """The digest of the report's PDF source (its HTML): the same for every reader while the
    records are, so kept with the cached pages, instead of the report's HTML rendered for
    every request of its PDF."""
    return page_cache.kept_with_pages(
        f"{DIGEST_KEY}:{report.body.pk}:{report.year}",
        lambda: annual_report_source(report).digest,
    )


def _current_pdf(report: AnnualReport) -> AnnualReportPdf | None:
    """The stored PDF of the report's current figures; when none, its job is asked for."""
    stored = stored_annual_pdf(report.body, report.year, _digest(report))
    if stored is None:
        ask_for_annual_pdf(report.body, report.year)
    return stored


@require_safe
def annual_page(request: HttpRequest, body_slug: str, year: int) -> HttpResponse:
    report = report_or_404(body_slug, year)
    context = {
        "body": report.body,
        "report": report,
        "charts": charts(report),
        "years": report_years(report.body),
        "pdf": _current_pdf(report),
    }
    return render(request, "public/annual.html", context)


@require_safe
def annual_pdf(request: HttpRequest, body_slug: str, year: int) -> HttpResponseBase:
    """The same report as a PDF, as stored; it holds only published facts, so anyone may have
    it. Until the job has rendered the current figures, a page says it is being prepared."""
    report = report_or_404(body_slug, year)
    stored = _current_pdf(report)
    if stored is not None:
        filename = f"{report.body.slug}_annual_report_{report.year}.pdf"
        try:
            return stored_file_response(
                request, stored.file, stored.sha256, filename=filename, public=True
            )
        except FileNotFoundError:  # replaced by a newer render since it was looked up
            ask_for_annual_pdf(report.body, report.year)
    response = render(
        request,
        "public/annual_pending.html",
        {"body": report.body, "report": report, "retry_seconds": RETRY_SECONDS},
        status=202,
    )
    response["Retry-After"] = str(RETRY_SECONDS)
    patch_cache_control(response, no_cache=True, no_store=True)
    return response
