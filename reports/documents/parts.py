"""Parts rendered once and reused: each keyed by what it contains, rendered across cores.

A part's key is the SHA-256 of its HTML (which includes the print CSS), of the uploaded PDF
drawn under it if any, and of the versions of WeasyPrint, pypdf and pikepdf: the same content
gives the same PDF wherever it lands, because page numbers are stamped on the joined document
afterwards (reports/documents/assemble.py). Rendered parts are kept in the cache named by
DOCUMENTS_PART_CACHE (Redis or files under var/cache in production; memory in tests) for
DOCUMENTS_PART_CACHE_SECONDS. A cache that fails costs a render, never a document.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import version
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache

from reports.documents.assemble import Assembly, run_assembly
from reports.documents.workers import Metadata, PartJob, PartPdf, Pool, available_cores, render_part

logger = logging.getLogger(__name__)

# Bump when the way parts are rendered changes in a way their HTML does not show
# (parts-2: margins as artifacts, table headers scoped; reports/documents/tagging.py).
FORMAT = "parts-2"
DEFAULT_SECONDS = 60 * 24 * 3600
# A joined document (or a standalone one) is kept a week at most: it serves the publication
# it was joined ahead of, and each save joins a new set, so older ones are of no more use
# and would crowd the parts out of the cache.
JOINED_SECONDS = 7 * 24 * 3600


@cache
def _versions() -> str:
    packages = ("weasyprint", "pypdf", "pikepdf")
    return "|".join([FORMAT, *(f"{name} {version(name)}" for name in packages)])


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


class PartsMissing(Exception):
    """Within cached_only(): a part or document asked for is not in the cache."""


_CACHED_ONLY: ContextVar[bool] = ContextVar("cached_only", default=False)


@contextmanager
def cached_only() -> Iterator[None]:
    """Within, parts, joined documents and standalone documents come from the cache or not at
    all: PartsMissing is raised instead of rendering or joining one. A publication first tries
    so, under the meeting's lock, to store what was joined ahead; when something is missing it
    renders that before taking the lock again (reports/publishing.py)."""
    token = _CACHED_ONLY.set(True)
    try:
        yield
    finally:
        _CACHED_ONLY.reset(token)


def is_cached_only() -> bool:
    return _CACHED_ONLY.get()


def workers() -> int:
    """Processes to render in: DOCUMENTS_RENDER_WORKERS, or one per core when 0 or unset."""
    configured = getattr(settings, "DOCUMENTS_RENDER_WORKERS", 0) or 0
    return configured if configured > 0 else available_cores()


def _timeout(at_most: int | None = None) -> int:
    """How long a cached part is kept (DOCUMENTS_PART_CACHE_SECONDS), or a document when
    shorter (`at_most`)."""
    seconds = getattr(settings, "DOCUMENTS_PART_CACHE_SECONDS", DEFAULT_SECONDS)
    return min(seconds, at_most) if at_most is not None else seconds


def _cache() -> BaseCache:
    return caches[getattr(settings, "DOCUMENTS_PART_CACHE", "default")]


def _from_cache(value: object) -> PartPdf | None:
    """A cached value as a part, or None when it is not one (an older format, a bad entry)."""
    # (pdf, pages, upload pages, checked); kept before `checked` was: three, never checked.
    if not (isinstance(value, tuple) and len(value) in (3, 4) and isinstance(value[0], bytes)):
        return None
    pdf, pages, upload_pages, *checked = value
    if not pdf.startswith(b"%PDF-") or not isinstance(pages, int) or pages < 1:
        return None
    return PartPdf(
        pdf=pdf, pages=pages, upload_pages=tuple(upload_pages), checked=checked == [True]
    )


@dataclass
class PartsRendered:
    """The rendered parts in the order asked for, and which of them were rendered just now."""

    parts: list[PartPdf]
    rendered: list[int] = field(default_factory=list)


class PartRenderer:
    """Parts as they come: each looked up in the cache, the others sent to the pool at once.

    So the workers start on the first parts while the records of the next are still being
    turned into HTML.
    """

    def __init__(self, pool: Pool) -> None:
        self.pool = pool
        self.store = _cache()
        self.cache_works = True
        self.keys: list[str] = []
        self.ready: dict[str, PartPdf] = {}
        self.pending: dict[str, Callable[[], PartPdf]] = {}

    def add(self, job: PartJob) -> None:
        key = part_key(job)
        self.keys.append(key)
        if key in self.ready or key in self.pending:
            return
        cached = self._cached(key)
        if cached is not None:
            self.ready[key] = cached
        elif _CACHED_ONLY.get():
            raise PartsMissing("A part of the document is not in the cache.")
        else:
            self.pending[key] = self.pool.submit(render_part, job)

    def _cached(self, key: str) -> PartPdf | None:
        if not self.cache_works:
            return None
        try:
            return _from_cache(self.store.get(key))
        except Exception:  # noqa: BLE001 — the cache is an optimisation
            logger.warning("Document part cache unavailable: rendering every part", exc_info=True)
            self.cache_works = False
            return None

    def finish(self, on_rendered: Callable[[int, int], None] | None = None) -> PartsRendered:
        """Every part added, in order, once the pool has rendered those not cached.

        `on_rendered(done, total)` is called as each part not cached comes back (progress)."""
        fresh: dict[str, PartPdf] = {}
        for key, result in self.pending.items():
            fresh[key] = result()
            if on_rendered is not None:
                on_rendered(len(fresh), len(self.pending))
        if fresh and self.cache_works:
            timeout = _timeout()
            try:
                self.store.set_many(
                    {k: (p.pdf, p.pages, p.upload_pages, p.checked) for k, p in fresh.items()},
                    timeout,
                )
            except Exception:  # noqa: BLE001 — the cache is an optimisation
                logger.warning("Document part cache unavailable: parts not kept", exc_info=True)
        self.ready.update(fresh)
        rendered = [i for i, key in enumerate(self.keys) if key in fresh]
        return PartsRendered(parts=[self.ready[key] for key in self.keys], rendered=rendered)


def render_parts(jobs: Iterable[PartJob], pool: Pool | None = None) -> PartsRendered:
    """Each job's PDF: from the cache when its content was rendered before, else rendered.

    In `pool` when given (its workers serve several steps), else in a pool made for them.
    """
    if pool is None:
        with Pool(workers()) as own:
            return render_parts(jobs, own)
    renderer = PartRenderer(pool)
    for job in jobs:
        renderer.add(job)
    return renderer.finish()


# Joined documents -----------------------------------------------------------------------------
# A joined document (a pack, an agenda, a paper's copy) is kept too, keyed by its pieces, its
# metadata, and the code that joins them (a change to it makes every key new): so when the
# documents publishing freezes were joined ahead (reports/documents/ahead.py), publishing
# stores them as they were joined. Their PDF dates say when they were joined.


# The modules that join and finish documents (a standalone one is written by render.py).
JOINING_CODE = ("assemble.py", "fonts.py", "tagging.py", "workers.py", "render.py")


@cache
def _joining_code() -> str:
    digest = hashlib.sha256()
    for name in JOINING_CODE:
        digest.update((Path(__file__).parent / name).read_bytes())
    return f"{_versions()}|{digest.hexdigest()}"


def joined_key(job: Assembly) -> str:
    """The cache key of a joined document: what is joined and how, not when."""
    digest = hashlib.sha256()
    digest.update(_joining_code().encode())
    digest.update(repr(job.metadata).encode())
    for piece in job.pieces:
        flags = f"numbered={piece.numbered} anchors={piece.anchors} checked={piece.checked}"
        digest.update(f"|piece {flags}|".encode())
        digest.update(hashlib.sha256(piece.pdf).digest())
    if job.numbers is not None:
        digest.update(b"|numbers=" + hashlib.sha256(job.numbers).digest())
    return f"documents:joined:{digest.hexdigest()}"


def join_all(jobs: Sequence[Assembly], pool: Pool) -> list[bytes]:
    """Each document joined, in order: from the cache when the same pieces were joined the
    same way before, else joined in the pool (and kept)."""
    store = _cache()
    keys = [joined_key(job) for job in jobs]
    try:
        found = store.get_many(keys)
    except Exception:  # noqa: BLE001 — the cache is an optimisation
        logger.warning("Document part cache unavailable: joining every document", exc_info=True)
        return pool.map(run_assembly, list(jobs))
    ready = {k: v for k, v in found.items() if isinstance(v, bytes) and v.startswith(b"%PDF-")}
    missing = {key: job for key, job in zip(keys, jobs, strict=True) if key not in ready}
    if missing and _CACHED_ONLY.get():
        raise PartsMissing("A joined document is not in the cache.")
    if missing:
        fresh = dict(zip(missing, pool.map(run_assembly, list(missing.values())), strict=True))
        ready.update(fresh)
        try:
            store.set_many(fresh, _timeout(JOINED_SECONDS))
        except Exception:  # noqa: BLE001 — the cache is an optimisation
            logger.warning("Document part cache unavailable: documents not kept", exc_info=True)
    return [ready[key] for key in keys]


def document_key(html: str, metadata: Metadata) -> str:
    """The cache key of a standalone document (render.render_pdf): its HTML and metadata."""
    digest = hashlib.sha256()
    digest.update(_joining_code().encode())
    digest.update(repr(metadata).encode())
    digest.update(b"|html=" + html.encode())
    return f"documents:whole:{digest.hexdigest()}"


def kept_document(key: str) -> tuple[bytes, int] | None:
    """A standalone document kept under this key: its PDF and page count, or None."""
    try:
        value = _cache().get(key)
    except Exception:  # noqa: BLE001 — the cache is an optimisation
        logger.warning("Document part cache unavailable", exc_info=True)
        return None
    if not (isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], bytes)):
        return None
    pdf, pages = value
    return (pdf, pages) if pdf.startswith(b"%PDF-") and isinstance(pages, int) else None


def keep_document(key: str, pdf: bytes, pages: int) -> None:
    try:
        _cache().set(key, (pdf, pages), _timeout(JOINED_SECONDS))
    except Exception:  # noqa: BLE001 — the cache is an optimisation
        logger.warning("Document part cache unavailable: document not kept", exc_info=True)
