"""Active content in a PDF: script, launch actions, embedded files and the like.

Papers are uploaded by secretaries and then served to the public and to partners, so a PDF
that can run script or carry another file is refused however it hides it: the whole object
graph reachable from the trailer is walked (catalogue, names tree, pages, annotations, form
fields, their additional actions), not only the places a reader looks first; and then every
object the file holds, reachable or not, so that an embedded file stored where nothing points
to it (yet) is found too.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import IO, Any

import pypdf
from django.conf import settings
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject

# Dictionary keys that carry script, a file or an interactive form that can run script.
KEYS = {
    "/JS": "JavaScript",
    "/JavaScript": "JavaScript",
    "/EmbeddedFile": "an embedded file",
    "/EmbeddedFiles": "an embedded file",
    # A file specification's embedded copy (a file attachment annotation's /FS, a GoToE).
    "/EF": "an embedded file",
    "/RichMedia": "embedded media",
    "/XFA": "an XFA form (which can run script)",
}
# Action types (/S) that run script, start programs or reach out of the document.
ACTIONS = {
    "/JavaScript": "JavaScript",
    "/Launch": "an action that launches a program or file",
    "/ImportData": "an action that imports data",
    "/SubmitForm": "an action that submits a form",
    "/RichMediaExecute": "embedded media",
    "/GoToE": "an action that opens an embedded document",
}
# Types (/Type) and annotation subtypes (/Subtype) that carry a file.
TYPES = {
    "/EmbeddedFile": "an embedded file",
    "/FileAttachment": "a file attachment",
}
NETWORK_ACTION = "a link to a file on another computer"
FILE_LINK = "a file:// link"
# A file specification's keys that name the file (ISO 32000-1, 7.11.3).
FILE_NAME_KEYS = ("/F", "/UF", "/DOS", "/Unix", "/Mac")
# A bound on the walk: far more objects than any real paper has.
MAX_OBJECTS = 500_000


class UnreadablePdf(Exception):
    """The PDF could not be walked (damaged, encrypted, or absurdly large)."""


def active_content(data: bytes | IO[bytes] | Any) -> list[str]:
    """What active content the PDF holds (each kind once); empty for a plain document.

    data: the bytes, or a file-like object (an upload) read from where it stands."""
    stream = io.BytesIO(data) if isinstance(data, bytes) else data
    try:
        reader = pypdf.PdfReader(stream)
        # Permissions-only encryption (an empty password) is common and can be checked.
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadablePdf("The PDF is protected by a password, so it cannot be checked.")
        found = dict.fromkeys(_walk([reader.trailer, *_every_object(reader)]))
    except UnreadablePdf:
        raise
    except Exception as exc:  # pypdf raises many kinds of error on a damaged file
        raise UnreadablePdf("The file could not be read as a PDF.") from exc
    return list(found)


def _resolved(value: PdfObject | None) -> PdfObject | None:
    return value.get_object() if isinstance(value, IndirectObject) else value


def _every_object(reader: pypdf.PdfReader) -> Iterator[IndirectObject]:
    """Every object in the file's cross-reference tables (object streams included)."""
    for generation, numbers in reader.xref.items():
        for number in numbers:
            yield IndirectObject(number, generation, reader)
    for number in reader.xref_objStm:
        yield IndirectObject(number, 0, reader)


def _squeezed(value: PdfObject) -> str:
    text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
    return "".join(ch for ch in text if ch > " ").lower()


def _is_script_url(value: PdfObject) -> bool:
    return _squeezed(value).startswith(("javascript:", "vbscript:", "data:"))


def _is_network_path(value: PdfObject) -> bool:
    """A file name that reaches another computer: a UNC path (two backslashes or slashes,
    then the server), or an address with a scheme (smb:, http:, file:). Opening one can
    send the reader's Windows credentials to that computer."""
    text = _squeezed(value).replace("\\", "/")
    if text.startswith("//"):
        return True
    scheme, colon, _ = text.partition(":")
    # A drive letter (C:) is local; a longer scheme (smb:, file:) is not.
    return bool(colon) and len(scheme) > 1 and scheme.replace("+", "").isalnum()


def _names_network_file(target: PdfObject) -> bool:
    """Whether a remote go-to's /F (a string or a file specification) is on the network."""
    target = _resolved(target)
    if isinstance(target, DictionaryObject):
        if target.get("/FS") == "/URL":
            return True
        names = [target.get(key) for key in FILE_NAME_KEYS]
        return any(_is_network_path(_resolved(name)) for name in names if name is not None)
    return _is_network_path(target)


def _in_action(obj: DictionaryObject) -> Iterator[str]:
    """What an action dictionary (or a link) reaches beyond the document."""
    kind = _resolved(obj.get("/S"))
    if kind in ("/GoToR", "/Launch") and "/F" in obj and _names_network_file(obj["/F"]):
        yield NETWORK_ACTION
    uri = _resolved(obj.get("/URI"))
    if uri is not None and kind == "/URI":
        squeezed = _squeezed(uri)
        if squeezed.startswith("file:"):
            yield FILE_LINK
        elif squeezed.startswith(("\\\\", "//")):
            yield NETWORK_ACTION


def _walk(roots: list[PdfObject]) -> Iterator[str]:
    seen: set[tuple[int, int]] = set()
    stack: list[PdfObject] = list(reversed(roots))
    visited = 0
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            ref = (obj.idnum, obj.generation)
            if ref in seen:
                continue
            seen.add(ref)
            obj = obj.get_object()
        visited += 1
        if visited > MAX_OBJECTS:
            raise UnreadablePdf("The PDF has too many objects to be checked.")
        if isinstance(obj, DictionaryObject):  # streams are dictionaries too
            yield from _in_action(obj)
            for key, value in obj.items():
                if key in KEYS:
                    yield KEYS[key]
                resolved = value.get_object() if isinstance(value, IndirectObject) else value
                if key == "/S" and isinstance(resolved, NameObject) and resolved in ACTIONS:
                    yield ACTIONS[resolved]
                if key in ("/Type", "/Subtype") and resolved in TYPES:
                    yield TYPES[resolved]
                if key == "/URI" and _is_script_url(resolved):
                    yield "a javascript: link"
                stack.append(value)
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)


# What counts as an acceptable paper ---------------------------------------------------------


class RefusedPdf(ValueError):
    """Why a file is not acceptable as a paper: str() is the sentence to show; `kind` is one
    of "size", "not_pdf", "unreadable", "no_pages", "too_many_pages", "active" (with what was
    `found`)."""

    def __init__(self, message: str, *, kind: str, found: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.kind = kind
        self.found = found


def check_paper_pdf(data: bytes | IO[bytes], *, size: int | None = None) -> None:
    """The one test of a paper's file, for the upload form and the importer alike: at most
    PAPER_UPLOAD_MAX_BYTES, a PDF with at least one page and at most PAPER_MAX_PAGES, no active
    content. Raises RefusedPdf; a file-like object is left at its start."""
    stream = io.BytesIO(data) if isinstance(data, bytes) else data
    if size is None:
        size = stream.seek(0, io.SEEK_END)
    limit = settings.PAPER_UPLOAD_MAX_BYTES
    if size > limit:
        raise RefusedPdf(
            f"The file is {size / 1048576:.1f} MB; the largest accepted is "
            f"{limit / 1048576:.1f} MB.",
            kind="size",
        )
    stream.seek(0)
    if stream.read(5) != b"%PDF-":
        raise RefusedPdf("The file is not a PDF (it does not start with %PDF-).", kind="not_pdf")
    stream.seek(0)
    try:
        pages = len(pypdf.PdfReader(stream).pages)
    except Exception as exc:  # pypdf raises many kinds of error on a damaged file
        raise RefusedPdf("The file could not be read as a PDF.", kind="unreadable") from exc
    if pages < 1:
        raise RefusedPdf("The PDF has no pages.", kind="no_pages")
    # Every page of a paper is drawn into the packs when they are rendered: a file of
    # thousands of pages would hold a render (and its memory) for minutes.
    most = settings.PAPER_MAX_PAGES
    if pages > most:
        raise RefusedPdf(
            f"The PDF has {pages:,} pages; a paper may have at most {most:,}. Upload the part "
            "the board needs, and link to the whole document from the paper's summary.",
            kind="too_many_pages",
        )
    stream.seek(0)
    try:
        found = active_content(stream)
    except UnreadablePdf as exc:
        raise RefusedPdf(str(exc), kind="unreadable") from exc
    if found:
        raise RefusedPdf(
            f"The PDF contains {' and '.join(found)}, which readers of the board's papers "
            "must not be sent. Save or print it again as a plain PDF and upload that.",
            kind="active",
            found=tuple(found),
        )
    stream.seek(0)
