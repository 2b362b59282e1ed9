"""Read rendered PDFs back for tests: page text (pypdf), printed page numbers, bookmarks."""

from __future__ import annotations

import io
import re
import shutil
import tempfile
from dataclasses import dataclass

from django.conf import settings
from django.test import override_settings
from pypdf import PdfReader

FOOTER = re.compile(r"Page (\d+)\s*$")
BLANK = "This page is intentionally left blank"


@dataclass(frozen=True)
class Bookmark:
    title: str
    page: int  # 0-based index in the PDF
    level: int


@dataclass(frozen=True)
class ReadPdf:
    """What a test needs from a PDF: each page's text, the outline, the catalog facts."""

    pages: tuple[str, ...]
    bookmarks: tuple[Bookmark, ...]
    metadata: dict[str, str]
    lang: str
    tagged: bool
    fonts: frozenset[str]
    embedded: bool

    def flat(self, index: int) -> str:
        """A page's text with whitespace collapsed (line wraps do not matter)."""
        return " ".join(self.pages[index].split())

    def all_text(self) -> str:
        return " ".join(" ".join(page.split()) for page in self.pages)

    def printed_number(self, index: int) -> int | None:
        match = FOOTER.search(self.pages[index].strip())
        return int(match.group(1)) if match else None


def _outline(reader: PdfReader, items: list, level: int, out: list[Bookmark]) -> None:
    for entry in items:
        if isinstance(entry, list):
            _outline(reader, entry, level + 1, out)
        else:
            out.append(Bookmark(str(entry.title), reader.get_destination_page_number(entry), level))


def read_pdf(data: bytes) -> ReadPdf:
    reader = PdfReader(io.BytesIO(data))
    bookmarks: list[Bookmark] = []
    _outline(reader, reader.outline, 1, bookmarks)
    root = reader.trailer["/Root"]
    fonts: set[str] = set()
    embedded = True
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            fonts.add(str(font.get("/BaseFont")))
            descendants = font.get("/DescendantFonts")
            descriptor = (
                descendants[0].get_object().get("/FontDescriptor")
                if descendants
                else font.get("/FontDescriptor")
            )
            descriptor = descriptor.get_object() if descriptor else {}
            if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                embedded = False
    return ReadPdf(
        pages=tuple(page.extract_text() or "" for page in reader.pages),
        bookmarks=tuple(bookmarks),
        metadata={k: str(v) for k, v in (reader.metadata or {}).items()},
        lang=str(root.get("/Lang", "")),
        tagged="/StructTreeRoot" in root and bool(root.get("/MarkInfo", {}).get("/Marked")),
        fonts=frozenset(fonts),
        embedded=embedded,
    )


class TemporaryMedia:
    """Mixin (before TestCase): the default storage writes into a folder removed afterwards."""

    @classmethod
    def setUpClass(cls) -> None:
        folder = tempfile.mkdtemp(prefix="vru-documents-")
        storages = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": folder},
            },
        }
        media = override_settings(STORAGES=storages)
        media.enable()
        cls.addClassCleanup(shutil.rmtree, folder, True)
        cls.addClassCleanup(media.disable)
        super().setUpClass()
