"""Parts rendered once and reused: each keyed by what it contains, rendered across cores.

A part's key is the SHA-256 of its HTML (which includes the print CSS), of the uploaded PDF
drawn under it if any, and of the versions of WeasyPrint and pypdf: the same content gives the
same PDF wherever it lands, because page numbers are stamped on the joined document afterwards
(reports/documents/assemble.py). Rendered parts are kept in the cache `DOCUMENTS_PART_CACHE`
(Redis or files under var/cache in production; memory in tests) for DOCUMENTS_PART_CACHE_SECONDS.
A cache that fails costs a render, never a document.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import version

from django.conf import settings
from django.core.cache import caches

from reports.documents.workers import PartJob, PartPdf, available_cores, render_part, run_parallel

logger = logging.getLogger(__name__)

# Bump when the way parts are rendered changes in a way their HTML does not show.
FORMAT = "parts-1"
DEFAULT_SECONDS = 60 * 24 * 3600


@cache
def _versions() -> str:
    return f"{FORMAT}|weasyprint {version('weasyprint')}|pypdf {version('pypdf')}"


def part_key(job: PartJob) -> str:
    """The cache key of a part: its content, not where it lands in a pack."""
    digest = hashlib.sha256()
    digest.update(_versions().encode())
    digest.update(f"|tagged={job.tagged}|exempt={job.exempt}|".encode())
    digest.update("\n".join(job.upload_anchors).encode())
    if job.upload is not None:
        digest.update(b"|upload=" + hashlib.sha256(job.upload).digest())
    digest.update(b"|html=")
    digest.update(job.html.encode())
    return f"documents:part:{digest.hexdigest()}"


def workers() -> int:
    """Processes to render in: DOCUMENTS_RENDER_WORKERS, or one per core when 0 or unset."""
    configured = getattr(settings, "DOCUMENTS_RENDER_WORKERS", 0) or 0
    return configured if configured > 0 else available_cores()


def _cache():  # noqa: ANN202 — a Django cache
    return caches[getattr(settings, "DOCUMENTS_PART_CACHE", "default")]


def _from_cache(value: object) -> PartPdf | None:
    """A cached value as a part, or None when it is not one (an older format, a bad entry)."""
    if not (isinstance(value, tuple) and len(value) == 3 and isinstance(value[0], bytes)):
        return None
    pdf, pages, upload_pages = value
    if not pdf.startswith(b"%PDF-") or not isinstance(pages, int) or pages < 1:
        return None
    return PartPdf(pdf=pdf, pages=pages, upload_pages=tuple(upload_pages))


@dataclass
class PartsRendered:
    """The rendered parts in the order asked for, and which of them were rendered just now."""

    parts: list[PartPdf]
    rendered: list[int] = field(default_factory=list)


def render_parts(jobs: Sequence[PartJob]) -> PartsRendered:
    """Each job's PDF: from the cache when its content was rendered before, else rendered."""
    keys = [part_key(job) for job in jobs]
    store = _cache()
    try:
        found = store.get_many(list(dict.fromkeys(keys)))
    except Exception:  # noqa: BLE001 — the cache is an optimisation
        logger.warning("Document part cache unavailable: rendering every part", exc_info=True)
        found = {}
    ready: dict[str, PartPdf] = {}
    for key, value in found.items():
        part = _from_cache(value)
        if part is not None:
            ready[key] = part
    missing: dict[str, int] = {}
    for index, key in enumerate(keys):
        if key not in ready and key not in missing:
            missing[key] = index
    # The longest HTML first, so that the last part to finish is a short one.
    order = sorted(missing.values(), key=lambda i: -len(jobs[i].html))
    results = run_parallel(render_part, [jobs[i] for i in order], workers=workers())
    fresh = {keys[i]: result for i, result in zip(order, results, strict=True)}
    if fresh:
        timeout = getattr(settings, "DOCUMENTS_PART_CACHE_SECONDS", DEFAULT_SECONDS)
        try:
            store.set_many({k: (p.pdf, p.pages, p.upload_pages) for k, p in fresh.items()}, timeout)
        except Exception:  # noqa: BLE001 — the cache is an optimisation
            logger.warning("Document part cache unavailable: parts not kept", exc_info=True)
    ready.update(fresh)
    rendered = [i for i, key in enumerate(keys) if key in fresh]
    return PartsRendered(parts=[ready[key] for key in keys], rendered=rendered)
