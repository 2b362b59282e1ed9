"""HTML templates to laid-out documents to PDF bytes (WeasyPrint is called in workers.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils import timezone

from reports.documents.assemble import Piece, assemble
from reports.documents.parts import (
    PartsMissing,
    document_key,
    is_cached_only,
    keep_document,
    kept_document,
    workers,
)
from reports.documents.workers import (
    PDF_VARIANT,
    Metadata,
    Pool,
    fetcher,
    finish_tagged,
    layout_html,
)

if TYPE_CHECKING:  # WeasyPrint takes a second to import: only when a document is rendered.
    from weasyprint import Document, Page

# Set by rendered_in_workers(): the pool standalone documents are rendered in.
REQUEST_POOL: ContextVar[Pool | None] = ContextVar("request_pool", default=None)
# When set (by the benchmark), the HTML of every document and part laid out is appended here.
CAPTURED_HTML: ContextVar[list[str] | None] = ContextVar("captured_html", default=None)


@dataclass
class Rendered:
    """A finished PDF and what the views and the store need to know about it."""

    pdf: bytes
    pages: int
    metadata: Metadata
    extra: dict[str, Any] = field(default_factory=dict)


__all__ = ["PDF_VARIANT", "Correction", "Metadata", "Rendered", "fetcher", "render_html"]


def render_html(template: str, context: dict[str, Any], *, capture: bool = True) -> str:
    """A document's (or a part's) HTML, from its template."""
    html = render_to_string(template, context)
    captured = CAPTURED_HTML.get()
    if capture and captured is not None:
        captured.append(html)
    return html


def layout(template: str, context: dict[str, Any]) -> Document:
    """Render a template to HTML and lay it out in pages (not yet written)."""
    return layout_html(render_html(template, context))


def write(
    document: Document, pages: list[Page], metadata: Metadata, now: dt.datetime | None = None
) -> bytes:
    """Write pages (from one or several laid-out documents) as one PDF with our metadata,
    finished as the parts of a pack are (tags, page labels, XMP: assemble.py), so that every
    document earns its PDF/UA claim the same way. Its pages print their own numbers."""
    from weasyprint.pdf.metadata import DocumentMetadata

    combined = document.copy(pages)
    now = (now or timezone.now()).astimezone(dt.UTC)
    combined.metadata = DocumentMetadata(
        title=metadata.title,
        authors=[metadata.author],
        description=metadata.subject,
        keywords=list(metadata.keywords),
        generator="VRU Governance",
        created=now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        modified=now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        lang=metadata.lang,
    )
    pdf = finish_tagged(combined.write_pdf(pdf_variant=PDF_VARIANT), "doc-")
    return assemble((Piece(pdf, numbered=True),), metadata=metadata, now=now)


@dataclass(frozen=True)
class DocumentJob:
    """A standalone document to lay out and write: plain data, so a worker can take it."""

    html: str
    metadata: Metadata
    now: dt.datetime


def write_document(job: DocumentJob) -> tuple[bytes, int]:
    """Lay out and write a standalone document: its PDF and page count (no database)."""
    document = layout_html(job.html)
    pages = list(document.pages)
    return write(document, pages, job.metadata, job.now), len(pages)


def render_pdf(template: str, context: dict[str, Any], metadata: Metadata) -> Rendered:
    """A standalone document: laid out and written here, or in the workers of the pool that
    rendered_in_workers() set up (a render on request)."""
    html = render_html(template, {**context, "metadata": metadata})
    # The same HTML written before (ahead of publishing, or for an earlier reader) is kept.
    key = document_key(html, metadata)
    kept = kept_document(key)
    if kept is not None:
        return Rendered(pdf=kept[0], pages=kept[1], metadata=metadata)
    if is_cached_only():
        raise PartsMissing("The document is not in the cache.")
    job = DocumentJob(html=html, metadata=metadata, now=timezone.now())
    pool = REQUEST_POOL.get()
    pdf, pages = pool.submit(write_document, job)() if pool is not None else write_document(job)
    keep_document(key, pdf, pages)
    return Rendered(pdf=pdf, pages=pages, metadata=metadata)


@contextmanager
def rendered_in_workers() -> Iterator[Pool]:
    """For what a request still renders (drafts, the chair's brief), and a job in the web
    process (the annual report): a pool of at least one worker process, even where the site
    otherwise renders in-process (one core), so that the render has the workers' hard time
    limit and memory cap and dies with the process that asked (worker_processes.py).
    Standalone documents rendered inside go to it too; pass it to build_pack."""
    count = workers()
    with Pool(max(2, count), processes=count) as pool:
        token = REQUEST_POOL.set(pool)
        try:
            yield pool
        finally:
            REQUEST_POOL.reset(token)


@dataclass(frozen=True)
class Correction:
    """What a corrected version says about itself on its first page."""

    version: int
    replaces: int
    note: str
    date: str
