"""The annual report of a body as a PDF: the public page's charts and tables, printed.

It holds only published facts, so anyone may have it. Laying out is the costly part, so the
PDF is kept in the cache under a digest of its HTML: the same figures are rendered once, and
any change in the records gives new HTML and so a new PDF.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache

from reports.annual import AnnualReport, charts
from reports.documents.render import Metadata, render_html, render_pdf

TEMPLATE = "reports/pdf/annual_report.html"
CACHE_SECONDS = 24 * 60 * 60
FINISH = "pdfua-1"  # bump when the way a PDF is finished changes and its HTML does not show it


def annual_report_metadata(report: AnnualReport) -> Metadata:
    return Metadata(
        title=f"{report.body.name}: annual report {report.year}",
        author=report.body.name,
        subject=f"Attendance, composition, actions, decisions and notice in {report.year}",
        keywords=("annual report", report.body.name, str(report.year)),
    )


def annual_report_pdf(report: AnnualReport) -> bytes:
    """The PDF bytes of the report, from the cache when the same HTML was rendered before."""
    metadata = annual_report_metadata(report)
    context = {"report": report, "charts": charts(report), "body": report.body}
    html = render_html(TEMPLATE, {**context, "metadata": metadata}, capture=False)
    # The PDF also depends on how it is finished (tagging.py, fonts.py): that is in the key.
    key = f"annual-report-pdf:{FINISH}:" + hashlib.sha256(html.encode()).hexdigest()
    pdf = cache.get(key)
    if pdf is None:
        pdf = render_pdf(TEMPLATE, context, metadata).pdf
        cache.set(key, pdf, CACHE_SECONDS)
    return pdf
