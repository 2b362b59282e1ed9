"""Stored documents frozen before their page count was kept get it from the stored file."""

from __future__ import annotations

import io

import pypdf
from django.core.files.base import ContentFile
from django.test import TestCase

from meetings.models import Meeting
from reports.models import StoredDocument
from reports.page_counts import fill_missing_page_counts
from tests.public_world import WorldMixin


def blank_pdf(pages: int) -> bytes:
    writer = pypdf.PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class PageCountTests(WorldMixin, TestCase):
    def store(self, kind: str, data: bytes, pages: int) -> StoredDocument:
        meeting = Meeting.objects.get(body=self.world.body_a, key="2019-05-01")
        document = StoredDocument(
            meeting=meeting, kind=kind, version=1, sha256="0" * 64, size=len(data), pages=pages
        )
        document.file.save(f"{kind}.pdf", ContentFile(data), save=False)
        document.save()
        return document

    def test_a_document_without_a_count_gets_it_from_its_file(self) -> None:
        old = self.store("agenda", blank_pdf(3), pages=0)
        counted = self.store("pack", blank_pdf(2), pages=42)
        assert fill_missing_page_counts(StoredDocument) == 1
        old.refresh_from_db()
        counted.refresh_from_db()
        assert (old.pages, counted.pages) == (3, 42)

    def test_an_unreadable_file_keeps_an_unknown_count(self) -> None:
        broken = self.store("agenda", b"not a pdf", pages=0)
        assert fill_missing_page_counts(StoredDocument) == 0
        broken.refresh_from_db()
        assert broken.pages == 0
        # And its link says only what is known.
        page = self.page("/prg/meetings/2019-05-01/")
        assert "Agenda (PDF, 9 bytes)" in page
