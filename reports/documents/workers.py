"""Rendering parts of a document to PDF bytes, in worker processes where they can start.

Nothing here imports Django: a worker gets plain HTML (and an uploaded PDF's bytes) and returns
PDF bytes, so it never touches the ORM or a database connection. The workers come from a fork
server (WeasyPrint, pypdf and pikepdf preloaded, nothing else) when this process started one
(start_fork_server: the web server does at boot): a worker forked from the calling process
starts with every page that process has touched (Django, the apps, the records), about 90 MiB
of its peak. A process that started none forks its workers from itself when it has a single
thread, and otherwise starts a fork server then, because a thread inside fontconfig or a lock
at the moment of a fork could leave the child stuck. Where no pool can start (a daemonic
process, a platform without fork, a sandbox refusing processes) the parts are rendered one
after the other.
"""

from __future__ import annotations

import ctypes
import functools
import hashlib
import io
import logging
import multiprocessing
import os
import re
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from reports.documents import tagging
from reports.documents import worker_processes as hygiene

if TYPE_CHECKING:  # WeasyPrint, pikepdf and pypdf are imported only where they are used.
    from multiprocessing.context import BaseContext

    import pikepdf
    from pypdf import PdfReader
    from weasyprint import CSS, Document
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

logger = logging.getLogger(__name__)

# PDF/UA-1 makes WeasyPrint tag the structure, mark the document as tagged, show the title
# in the window bar and write XMP metadata beside the info dictionary.
PDF_VARIANT = "pdf/ua-1"
LANGUAGE = "en-GB"

# Bands (PDF points, 1 mm = 2.835 pt) kept free for our page number and the exempt marking:
# an uploaded page is scaled to fit between them, so nothing of it is covered.
FOOTER_BAND = 12 * 72 / 25.4
MARKING_BAND = 12 * 72 / 25.4


@dataclass(frozen=True)
class Metadata:
    """Title, author, subject and keywords written into a PDF."""

    title: str
    author: str
    subject: str
    keywords: tuple[str, ...] = ()
    lang: str = LANGUAGE


@dataclass(frozen=True)
class PartJob:
    """One part to render: its HTML and, for an uploaded paper, the PDF drawn under it."""

    html: str
    upload: bytes | None = None
    upload_anchors: tuple[str, ...] = ()
    exempt: bool = False
    tagged: bool = True


@dataclass(frozen=True)
class PartPdf:
    """A rendered part: PDF bytes, its page count, and the pages that carry an upload."""

    pdf: bytes
    pages: int
    upload_pages: tuple[int, ...] = ()
    # Its pages' content passed tagging.content_problems (a tagged part with no upload): a
    # join need not scan them again.
    checked: bool = False


def fetcher() -> URLFetcher:
    """Fetch nothing over the network: only data: URLs (fonts come from the system)."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, timeout=1)


# A document's print stylesheet: our templates put it in one <style> element in the head.
STYLE_ELEMENT = re.compile(r"<style[^>]*>(.*?)</style>", re.DOTALL | re.IGNORECASE)


class _Kept(threading.local):
    """What a thread keeps from one render to the next: one WeasyPrint font configuration (it
    otherwise builds a new one, with its Pango font map, for each document) and each print
    stylesheet parsed once (every part of a pack, and every document of one kind, has the same
    one: two or three in all). Per thread, because a Pango font map is not to be shared
    between threads (runserver and threaded servers render single documents in theirs); the
    workers forked from a process inherit what its thread had."""

    def __init__(self) -> None:
        self.fonts: Any = None
        self.stylesheets: dict[str, Any] = {}


_kept = _Kept()
STYLESHEETS_KEPT = 16


def _fonts() -> FontConfiguration:
    if _kept.fonts is None:
        from weasyprint.text.fonts import FontConfiguration

        _kept.fonts = FontConfiguration()
    return _kept.fonts


def _stylesheet(text: str) -> CSS:
    sheet = _kept.stylesheets.get(text)
    if sheet is None:
        from weasyprint import CSS

        if len(_kept.stylesheets) >= STYLESHEETS_KEPT:
            _kept.stylesheets.clear()
        sheet = _kept.stylesheets[text] = CSS(
            string=text, url_fetcher=fetcher(), font_config=_fonts()
        )
    return sheet


def layout_html(html: str, *, tagged: bool = True) -> Document:
    """Lay the HTML out in pages. Its single <style> element, when it has one, is parsed once
    per thread (_Kept) and given to WeasyPrint as a stylesheet; together with the kept font
    configuration that saves about a sixth of a pack's CPU. WeasyPrint gives such a stylesheet
    the user origin: the same pages as the author's <style> so long as the print CSS has no
    !important (a test keeps it so) and the documents no style attributes to lose to; a
    document with several <style> elements keeps them where they are, in their order."""
    from weasyprint import HTML

    stylesheets = None
    styles = list(STYLE_ELEMENT.finditer(html))
    if len(styles) == 1:
        style = styles[0]
        stylesheets = [_stylesheet(style.group(1))]
        html = html[: style.start()] + html[style.end() :]
    variant = PDF_VARIANT if tagged else None
    return HTML(string=html, base_url=None, url_fetcher=fetcher()).render(
        pdf_variant=variant, font_config=_fonts(), stylesheets=stylesheets
    )


@functools.cache
def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc
        return None


def release_memory() -> None:
    """Give the heap that a render freed back to the system (glibc keeps it otherwise)."""
    libc = _libc()
    if libc is not None and hasattr(libc, "malloc_trim"):
        libc.malloc_trim(0)


def render_part(job: PartJob) -> PartPdf:
    """Lay out and write one part; draw an uploaded PDF under its placeholder pages."""
    try:
        return _render_part(job)
    finally:
        release_memory()


def _render_part(job: PartJob) -> PartPdf:
    document = layout_html(job.html, tagged=job.tagged)
    pdf = document.write_pdf(pdf_variant=PDF_VARIANT if job.tagged else None)
    checked = False
    if job.tagged:
        prefix = hashlib.sha256(job.html.encode()).hexdigest()[:12]
        pdf, checked = _finish_tagged(pdf, f"{prefix}-", check=job.upload is None)
    indexes: tuple[int, ...] = ()
    if job.upload is not None:
        first_page: dict[str, int] = {}
        for index, page in enumerate(document.pages):
            for anchor in page.anchors:
                first_page.setdefault(anchor, index)
        indexes = tuple(first_page[anchor] for anchor in job.upload_anchors)
        pdf = draw_upload(pdf, job.upload, indexes, exempt=job.exempt)
    return PartPdf(pdf=pdf, pages=len(document.pages), upload_pages=indexes, checked=checked)


def _members(value: pikepdf.Object) -> list[pikepdf.Object]:
    import pikepdf

    if value is None:
        return []
    return list(value) if isinstance(value, pikepdf.Array) else [value]


def finish_tagged(pdf: bytes, prefix: str) -> bytes:
    """A tagged part as PDF/UA wants it (reports/documents/tagging.py): its margins marked as
    artifacts, its table headers scoped, and its IDs made unique (unique_ids)."""
    return _finish_tagged(pdf, prefix, check=False)[0]


def _finish_tagged(pdf: bytes, prefix: str, *, check: bool) -> tuple[bytes, bool]:
    """finish_tagged, and (when asked to check) whether its pages' content then passes
    tagging.content_problems: checked here, in the worker and once per part, a join of the
    part does not scan those pages again (assemble.py)."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        if document.Root.get("/StructTreeRoot") is None:
            return pdf, False
        tagging.artifact_margins(document)
        tagging.scope_table_headers(document)
        unique_ids(document, prefix)
        checked = check and not tagging.content_problems(document)
        out = io.BytesIO()
        document.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue(), checked


def unique_ids(document: pikepdf.Pdf, prefix: str) -> bool:
    """Prefix the structure elements' IDs (table headers) and the cells' references to them.

    WeasyPrint numbers them from the PDF's object numbers, which start again in every part:
    once the parts are joined they must still name one header each.
    """
    import pikepdf

    tree = document.Root.get("/StructTreeRoot")
    if tree is None:
        return False
    changed = False
    seen: set[tuple[int, int]] = set()
    stack = _members(tree.get("/K"))
    while stack:
        element = stack.pop()
        if not isinstance(element, pikepdf.Dictionary):
            continue
        if element.is_indirect:
            if element.objgen in seen:
                continue
            seen.add(element.objgen)
        if "/ID" in element:
            element.ID = pikepdf.String(prefix + str(element.ID))
            changed = True
        for attributes in _members(element.get("/A")):
            if isinstance(attributes, pikepdf.Dictionary) and "/Headers" in attributes:
                attributes.Headers = pikepdf.Array(
                    [pikepdf.String(prefix + str(h)) for h in attributes.Headers]
                )
                changed = True
        stack += _members(element.get("/K"))
    return changed


def open_upload(data: bytes) -> PdfReader:
    """An uploaded PDF, decrypted if it only has an empty user password."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        raise PyPdfError("the file is encrypted")
    return reader


def draw_upload(pdf: bytes, upload: bytes, page_indexes: Sequence[int], *, exempt: bool) -> bytes:
    """Draw each uploaded page under its placeholder page (footer and marking stay on top)."""
    from pypdf import PdfReader, PdfWriter, Transformation

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    # Pages must belong to a writer before their rotation can be moved into the content.
    sources = PdfWriter(clone_from=open_upload(upload))
    for source_index, target_index in enumerate(page_indexes):
        target = writer.pages[target_index]
        source = sources.pages[source_index]
        if source.rotation:
            source.transfer_rotation_to_content()
        box = source.mediabox
        width, height = float(box.width), float(box.height)
        target_width = float(target.mediabox.width)
        top = MARKING_BAND if exempt else 0.0
        room = float(target.mediabox.height) - FOOTER_BAND - top
        scale = min(target_width / width, room / height)
        dx = (target_width - width * scale) / 2 - float(box.left) * scale
        dy = FOOTER_BAND + (room - height * scale) / 2 - float(box.bottom) * scale
        transform = Transformation().scale(scale, scale).translate(dx, dy)
        target.merge_transformed_page(source, transform, over=False)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# The pool ------------------------------------------------------------------------------------

T = TypeVar("T")
R = TypeVar("R")


def available_cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


FORK_SERVER_PRELOAD = ["weasyprint", "pypdf", "pikepdf", __name__, "reports.documents.assemble"]

# The process that called start_fork_server (a process forked from it has the server's
# address but is not its parent: it cannot check on it, nor own its workers).
_fork_server_owner: int | None = None


def _context() -> BaseContext:
    """The fork server this process started; else fork from a single-threaded process; else a
    fork server started now (WeasyPrint preloaded)."""
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods and _fork_server_owner == os.getpid():
        return multiprocessing.get_context("forkserver")
    if threading.active_count() == 1 and "fork" in methods:
        return multiprocessing.get_context("fork")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(FORK_SERVER_PRELOAD)
    return context


def start_fork_server() -> None:
    """Start, in the background, the fork server this process's render workers will come from,
    so that they start small (only what rendering needs is loaded there) and the first render
    does not wait for it to load WeasyPrint. It ends with this process."""
    global _fork_server_owner
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return
    from multiprocessing import forkserver

    multiprocessing.get_context("forkserver").set_forkserver_preload(FORK_SERVER_PRELOAD)
    _fork_server_owner = os.getpid()
    threading.Thread(target=forkserver.ensure_running, name="fork-server", daemon=True).start()


class Pool:
    """Runs jobs in worker processes (started on first use), or here when none can start.

    With workers=1 everything runs in this process. Otherwise even a single job runs in a
    worker: what WeasyPrint and qpdf allocate goes with the worker, and a long-lived server
    process stays the size it was. One pool serves every step of a document, so its workers
    are started once.

    The workers die with this process, and each result is awaited at most `time_limit`
    seconds (DOCUMENTS_RENDER_TIME_LIMIT): past it, or when a worker dies, the workers are
    killed and RenderFailed raised; nothing is then rendered here instead (worker_processes).
    """

    def __init__(
        self,
        workers: int,
        *,
        processes: int | None = None,
        time_limit: float | None = None,
        memory_mb: int | None = None,
    ) -> None:
        self.processes = max(1, min(workers, processes or workers))
        self.executor: ProcessPoolExecutor | None = None
        self.serial = workers <= 1
        self.time_limit = time_limit or hygiene.setting(
            "DOCUMENTS_RENDER_TIME_LIMIT", hygiene.DEFAULT_TIME_LIMIT
        )
        self.memory_mb = (
            memory_mb
            if memory_mb is not None
            else hygiene.setting("DOCUMENTS_RENDER_MEMORY_MB", hygiene.DEFAULT_MEMORY_MB)
        )

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is not None and self.executor is not None:
            # Leaving on an error (or gunicorn's timeout): never wait for renders in flight.
            hygiene.kill_workers(self.executor)
            self.executor = None
        self.close()

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None

    def map(self, function: Callable[[T], R], jobs: Sequence[T]) -> list[R]:
        """function(job) for every job, in order; a job's own error is raised as it is."""
        results = [self.submit(function, job) for job in jobs]
        return [result() for result in results]

    def submit(self, function: Callable[[T], R], job: T) -> Callable[[], R]:
        """Start function(job) in a worker; call what is returned for its result."""
        if self.serial:
            return _done(function(job))
        try:
            if self.executor is None:
                context = _context()
                forked = context.get_start_method() == "fork"
                if forked:  # Imported once here (a second or so), shared by the workers.
                    import pikepdf  # noqa: F401
                    import weasyprint  # noqa: F401

                # A forked worker is our child; a fork server's worker is the server's, and
                # watches us instead (worker_processes.start_worker).
                self.executor = ProcessPoolExecutor(
                    max_workers=self.processes,
                    mp_context=context,
                    initializer=hygiene.start_worker,
                    initargs=(os.getpid(), self.memory_mb, forked),
                )
            with hygiene.signals_held():  # workers may be forked in here
                future = self.executor.submit(function, job)
        except (BrokenProcessPool, OSError, AssertionError, ValueError) as exc:
            # AssertionError: "daemonic processes are not allowed to have children";
            # ValueError: no such start method on this platform.
            self._give_up(exc)
            return _done(function(job))

        def result() -> R:
            try:
                return future.result(timeout=self.time_limit)
            except TimeoutError:
                self._stop()
                raise hygiene.RenderFailed(
                    f"A part of the document took more than {self.time_limit:g} s to render "
                    "and was stopped."
                ) from None
            except BrokenProcessPool as exc:  # a worker died (killed, out of memory)
                # Not rendered again here: what killed a worker would take this process down.
                self._stop()
                raise hygiene.RenderFailed(
                    "A render process died while rendering a part of the document (out of "
                    "memory, or stopped)."
                ) from exc

        return result

    def _stop(self) -> None:
        if self.executor is not None:
            hygiene.kill_workers(self.executor)
            self.executor = None

    def _give_up(self, exc: BaseException) -> None:
        logger.warning("Rendering in one process: no worker pool (%s)", exc)
        self.close()
        self.serial = True


def _done(value: R) -> Callable[[], R]:
    return lambda: value
