"""Active content in a PDF: script, launch actions, embedded files and the like.

Papers are uploaded by secretaries and then served to the public and to partners, so a PDF
that can run script or carry another file is refused however it hides it: the whole object
graph reachable from the trailer is walked (catalogue, names tree, pages, annotations, form
fields, their additional actions), not only the places a reader looks first.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import IO, Any

import pypdf
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject

# Dictionary keys that carry script, a file or an interactive form that can run script.
KEYS = {
    "/JS": "JavaScript",
    "/JavaScript": "JavaScript",
    "/EmbeddedFile": "an embedded file",
    "/EmbeddedFiles": "an embedded file",
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
}
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
        found = dict.fromkeys(_walk(reader.trailer))
    except UnreadablePdf:
        raise
    except Exception as exc:  # pypdf raises many kinds of error on a damaged file
        raise UnreadablePdf("The file could not be read as a PDF.") from exc
    return list(found)


def _is_script_url(value: PdfObject) -> bool:
    text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
    squeezed = "".join(ch for ch in text if ch > " ").lower()
    return squeezed.startswith(("javascript:", "vbscript:", "data:"))


def _walk(root: PdfObject) -> Iterator[str]:
    seen: set[tuple[int, int]] = set()
    stack: list[PdfObject] = [root]
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
            for key, value in obj.items():
                if key in KEYS:
                    yield KEYS[key]
                resolved = value.get_object() if isinstance(value, IndirectObject) else value
                if key == "/S" and isinstance(resolved, NameObject) and resolved in ACTIONS:
                    yield ACTIONS[resolved]
                if key == "/URI" and _is_script_url(resolved):
                    yield "a javascript: link"
                stack.append(value)
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
