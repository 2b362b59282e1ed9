"""The one place WeasyPrint is called: HTML templates to laid-out documents to PDF bytes."""

from __future__ import annotations

import datetime as dt
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils import timezone

if TYPE_CHECKING:  # WeasyPrint takes a second to import: only when a document is rendered.
    from weasyprint import Document, Page

# PDF/UA-1 makes WeasyPrint tag the structure, mark the document as tagged, show the title
# in the window bar and write XMP metadata beside the info dictionary.
PDF_VARIANT = "pdf/ua-1"
LANGUAGE = "en-GB"
# When set (by the benchmark), every HTML document laid out is also appended here.
CAPTURED_HTML: ContextVar[list[str] | None] = ContextVar("captured_html", default=None)


@dataclass(frozen=True)
class Metadata:
    """Title, author, subject and keywords written into a PDF."""

    title: str
    author: str
    subject: str
    keywords: tuple[str, ...] = ()
    lang: str = LANGUAGE


@dataclass
class Rendered:
    """A finished PDF and what the views and the store need to know about it."""

    pdf: bytes
    pages: int
    metadata: Metadata
    extra: dict[str, Any] = field(default_factory=dict)


def _fetcher():  # noqa: ANN202 — a weasyprint URLFetcher
    """Fetch nothing over the network: only data: URLs (fonts come from the system)."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, timeout=1)


def layout(template: str, context: dict[str, Any]) -> Document:
    """Render a template to HTML and lay it out in pages (not yet written)."""
    from weasyprint import HTML

    html = render_to_string(template, context)
    captured = CAPTURED_HTML.get()
    if captured is not None:
        captured.append(html)
    return HTML(string=html, base_url=None, url_fetcher=_fetcher()).render(pdf_variant=PDF_VARIANT)


def blank_page(number: int | None = None, *, running: str = "") -> Page:
    """A page that says it is intentionally blank, with its page number in the footer."""
    document = layout("reports/pdf/blank.html", {"number": number, "running": running})
    return document.pages[0]


def pad_to_even(pages: list[Page], *, first_number: int | None = None) -> list[Page]:
    """Pages plus a blank one when their count is odd, so the next part starts on the right."""
    if len(pages) % 2 == 0:
        return list(pages)
    number = None if first_number is None else first_number + len(pages)
    return [*pages, blank_page(number)]


def write(document: Document, pages: list[Page], metadata: Metadata) -> bytes:
    """Write pages (from one or several laid-out documents) as one PDF with our metadata."""
    from weasyprint.pdf.metadata import DocumentMetadata

    combined = document.copy(pages)
    now = timezone.now().astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    combined.metadata = DocumentMetadata(
        title=metadata.title,
        authors=[metadata.author],
        description=metadata.subject,
        keywords=list(metadata.keywords),
        generator="VRU Governance",
        created=now,
        modified=now,
        lang=metadata.lang,
    )
    return combined.write_pdf(pdf_variant=PDF_VARIANT)


def render_pdf(template: str, context: dict[str, Any], metadata: Metadata) -> Rendered:
    """A standalone document: laid out, padded to whole sheets if asked, written."""
    document = layout(template, {**context, "metadata": metadata})
    pages = list(document.pages)
    return Rendered(pdf=write(document, pages, metadata), pages=len(pages), metadata=metadata)


@dataclass(frozen=True)
class Correction:
    """What a corrected version says about itself on its first page."""

    version: int
    replaces: int
    note: str
    date: str
