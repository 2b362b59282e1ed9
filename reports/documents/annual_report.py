"""The annual report of a body as a PDF: the public page's charts and tables, printed.

It holds only published facts, so anyone may have it. Its HTML names it: the digest of that
HTML (and of how the PDF is finished) keys the stored copy (reports/annual_pdf.py), so any
change in the records gives new HTML and so a new PDF, rendered by a job.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from reports.annual import AnnualReport, charts
from reports.documents.render import Metadata, Rendered, render_html, render_pdf

TEMPLATE = "reports/pdf/annual_report.html"
FINISH = "pdfua-1"  # bump when the way a PDF is finished changes and its HTML does not show it


@dataclass(frozen=True)
class AnnualSource:
    """What the PDF is laid out from, and the digest that names it."""

    context: dict
    metadata: Metadata
    digest: str


def annual_report_metadata(report: AnnualReport) -> Metadata:
    return Metadata(
        title=f"{report.body.name}: annual report {report.year}",
        author=report.body.name,
        subject=f"Attendance, composition, actions, decisions and notice in {report.year}",
        keywords=("annual report", report.body.name, str(report.year)),
    )


def annual_report_source(report: AnnualReport) -> AnnualSource:
    """The report's HTML digest (a template rendered, no layout): cheap enough for a request."""
    metadata = annual_report_metadata(report)
    context = {"report": report, "charts": charts(report), "body": report.body}
    html = render_html(TEMPLATE, {**context, "metadata": metadata}, capture=False)
    digest = hashlib.sha256(f"{FINISH}\n{html}".encode()).hexdigest()
    return AnnualSource(context=context, metadata=metadata, digest=digest)


def render_annual_report(source: AnnualSource) -> Rendered:
    """Lay the report out and write it (a second or so of CPU: jobs only)."""
    return render_pdf(TEMPLATE, source.context, source.metadata)


def annual_report_pdf(report: AnnualReport) -> bytes:
    """The PDF bytes of the report, rendered now (the job and the tests)."""
    return render_annual_report(annual_report_source(report)).pdf
