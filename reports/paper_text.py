"""The text of an uploaded paper's PDF, extracted once when the file is stored, for search.

Every path that stores a paper's file (the workspace's upload, the importer, the admin) goes
through the field's `FieldFile.save`, so the text is taken there and kept in
`Paper.file_text` with the file it came from. Extraction is bounded (pages, characters,
seconds): a hostile PDF gives a short text or none, never a stuck request. What the public
may find of it is decided by the search, which never reads an exempt paper.
"""

from __future__ import annotations

import io
import logging
import time
from typing import Any

from django.core.files.base import File
from django.db import models
from django.db.models.fields.files import FieldFile

from reports.pdf_accessibility import UNREADABLE, check_pdf_accessibility

logger = logging.getLogger(__name__)

MAX_PAGES = 300  # far more than any paper; later pages are not read
MAX_CHARS = 200_000  # the text kept (about a hundred dense pages)
MAX_SECONDS = 10.0  # checked between pages


def extract_pdf_text(data: bytes) -> str:
    """The PDF's text, page by page, whitespace folded; empty if it cannot be read."""
    import pypdf

    started = time.monotonic()
    pages: list[str] = []
    size = 0
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            return ""
        for number, page in enumerate(reader.pages):
            if number >= MAX_PAGES or size >= MAX_CHARS:
                break
            if time.monotonic() - started > MAX_SECONDS:
                logger.warning("PDF text extraction stopped after %s pages (time limit)", number)
                break
            text = " ".join((page.extract_text() or "").split())
            if text:
                pages.append(text)
                size += len(text) + 2
    except Exception as exc:  # pypdf raises many kinds of error on a damaged file
        logger.warning("PDF text not extracted: %s", exc)
    text = "\n\n".join(pages)[:MAX_CHARS]
    # PostgreSQL refuses NUL characters and unpaired surrogates in text.
    return text.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


def stored_file_text(file: FieldFile) -> str:
    """The text of a stored file; empty if it is missing or unreadable."""
    try:
        with file.storage.open(file.name, "rb") as handle:
            data = handle.read()
    except (OSError, ValueError) as exc:
        logger.warning("Paper file %s not read for its text: %s", file.name, exc)
        return ""
    return extract_pdf_text(data)


def stored_file_accessibility(file: FieldFile) -> list[str]:
    """The accessibility failure codes of a stored file (reports/pdf_accessibility.py)."""
    try:
        with file.storage.open(file.name, "rb") as handle:
            data = handle.read()
    except (OSError, ValueError) as exc:
        logger.warning("Paper file %s not read for its accessibility: %s", file.name, exc)
        return [UNREADABLE]
    return check_pdf_accessibility(data)


class PaperFieldFile(FieldFile):
    """A paper's file that takes its text into `file_text` whenever a new file is stored,
    and its accessibility check into `file_accessibility_failures`."""

    def save(self, name: str, content: File, save: bool = True) -> None:
        super().save(name, content, save=False)
        self.instance.file_text = stored_file_text(self)
        self.instance.file_accessibility_failures = stored_file_accessibility(self)
        if save:
            self.instance.save()

    def delete(self, save: bool = True) -> None:
        self.instance.file_text = ""
        self.instance.file_accessibility_failures = []
        super().delete(save)


class PaperFileField(models.FileField):
    """A FileField whose files extract their text when stored (PaperFieldFile).

    Deconstructed as a plain FileField: the database column is the same, and the historical
    models migrations build need no text."""

    attr_class = PaperFieldFile

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.FileField", args, kwargs
