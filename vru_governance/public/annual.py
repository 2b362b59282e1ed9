"""The public annual report of a body (issue 18, capability 6): the year's figures from its
published records as server-rendered SVG bar charts, each with its numbers in a table."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from reports.annual import AnnualReport, annual_report, charts, report_years
from reports.documents.annual_report import annual_report_pdf
from reports.published import body_or_404


def report_or_404(body_slug: str, year: int) -> AnnualReport:
    """The report of a year with a published agenda; any other year is not found."""
    body = body_or_404(body_slug)
    if year not in report_years(body):
        raise Http404("No published records for that year.")
    return annual_report(body=body, year=year)


@require_safe
def annual_page(request: HttpRequest, body_slug: str, year: int) -> HttpResponse:
    report = report_or_404(body_slug, year)
    context = {
        "body": report.body,
        "report": report,
        "charts": charts(report),
        "years": report_years(report.body),
    }
    return render(request, "public/annual.html", context)


@require_safe
def annual_pdf(request: HttpRequest, body_slug: str, year: int) -> HttpResponse:
    """The same report as a PDF; it holds only published facts, so anyone may have it."""
    report = report_or_404(body_slug, year)
    response = HttpResponse(annual_report_pdf(report), content_type="application/pdf")
    filename = f"{report.body.slug}_annual_report_{report.year}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
