"""Hostile uploads: a file that is not a PDF, a PDF with script, a launch action or an embedded
file, a locked or oversized PDF, a path in the file name: each refused with a clear message,
changing nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings

from reports.models import Paper
from tests.demo import DEMO_FILE, demo_document
from tests.pdfs import TemporaryMedia
from tests.security.hostile.pdfs import HOSTILE_PDFS, pdf_with
from tests.security.hostile.world import page_of
from tests.world import CastMixin
from vru_governance.records.importer import import_records


@override_settings(PAPER_UPLOAD_MAX_BYTES=50_000)
class HostileUploadTests(CastMixin, TemporaryMedia, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        import_records(demo_document(), base_dir=DEMO_FILE.parent)
        cls.cast_on_the_records()

    def setUp(self) -> None:
        self.client.force_login(self.secretary)
        self.url = "/manage/prg/meetings/2019-06-12/agenda/items/4/papers/new/?as=upload"

    def upload(self, name: str, content: bytes) -> str:
        response = self.client.post(
            self.url,
            {
                "title": "Violence in Numbers",
                "classification": "public",
                "file_has_equality_comments": "on",
                "upload": SimpleUploadedFile(name, content, content_type="application/pdf"),
            },
        )
        return "" if response.status_code == 302 else page_of(response)

    def refused(self, name: str, content: bytes) -> str:
        page = self.upload(name, content)
        assert page, f"{name} was accepted"
        assert not Paper.objects.filter(key="violence-in-numbers").exists()
        return page

    def test_a_plain_pdf_is_accepted(self) -> None:
        content = pdf_with()
        assert self.upload("paper.pdf", content) == ""
        assert Paper.objects.get(key="violence-in-numbers").file.read() == content

    def test_content_that_is_not_a_pdf_is_refused_whatever_its_name(self) -> None:
        for content in (b"<html><script>alert(1)</script></html>", b"MZ\x90\x00", b""):
            page = self.refused("paper.pdf", content)
            assert "The file is not a PDF" in page or "The submitted file is empty" in page

    def test_a_pdf_with_active_content_is_refused_saying_what_it_carries(self) -> None:
        for what, (change, message) in HOSTILE_PDFS.items():
            page = self.refused("paper.pdf", pdf_with(change))
            assert "The PDF contains" in page and message in page, what
            assert "Save or print it again as a plain PDF" in page, what

    def test_a_password_protected_pdf_is_refused(self) -> None:
        def locked(writer: pypdf.PdfWriter) -> None:
            writer.encrypt(user_password="secret", owner_password="owner")

        page = self.refused("paper.pdf", pdf_with(locked))
        assert "protected by a password" in page or "could not be read" in page

    def test_an_oversized_file_is_refused_before_it_is_read(self) -> None:
        page = self.refused("big.pdf", pdf_with() + b"%" * 60_000)
        assert "the largest accepted is" in page

    @override_settings(PAPER_UPLOAD_MAX_BYTES=20 * 1024 * 1024, PAPER_MAX_PAGES=300)
    def test_a_pdf_of_thousands_of_pages_is_refused_before_any_render(self) -> None:
        writer = pypdf.PdfWriter()
        for _ in range(5000):
            writer.add_blank_page(width=595, height=842)
        page = self.refused("huge.pdf", _written(writer))
        assert "The PDF has 5,000 pages; a paper may have at most 300." in page
        at_limit = pypdf.PdfWriter()
        for _ in range(300):
            at_limit.add_blank_page(width=595, height=842)
        assert self.upload("long.pdf", _written(at_limit)) == ""

    def test_a_path_in_the_file_name_never_reaches_storage(self) -> None:
        location = Path(default_storage.location).resolve()
        for number, name in enumerate(
            ["../../etc/passwd.pdf", "..\\..\\x.pdf", "/etc/cron.d/x.pdf", "a/../../b.pdf"]
        ):
            title = f"Traversal {number}"
            response = self.client.post(
                self.url,
                {
                    "title": title,
                    "classification": "public",
                    "file_has_equality_comments": "on",
                    "upload": SimpleUploadedFile(name, pdf_with(), "application/pdf"),
                },
            )
            assert response.status_code == 302, name
            paper = Paper.objects.get(title=title)
            assert paper.file.name == f"papers/prg/2019-06-12/traversal-{number}.pdf"
            assert Path(paper.file.path).resolve().is_relative_to(location)
        assert not (location.parent / "etc").exists()

    def test_a_final_pdf_is_judged_as_an_upload_not_as_an_authored_paper(self) -> None:
        data = {"title": "Final paper", "classification": "public", "final": "on"}
        # Without the equality box: refused beside the box, not with a server error.
        page = page_of(
            self.client.post(self.url, {**data, "upload": SimpleUploadedFile("p.pdf", pdf_with())})
        )
        assert "Confirm that the uploaded PDF says how equality issues were considered" in page
        response = self.client.post(
            self.url,
            {
                **data,
                "file_has_equality_comments": "on",
                "upload": SimpleUploadedFile("p.pdf", pdf_with()),
            },
        )
        assert response.status_code == 302
        assert Paper.objects.get(key="final-paper").final

    def test_an_authored_paper_given_a_pdf_is_refused_beside_the_upload(self) -> None:
        base = "/manage/prg/meetings/2019-06-12/agenda/items/4/papers/"
        authored = {"title": "Authored", "classification": "public", "issues": "Text."}
        assert self.client.post(f"{base}new/", authored).status_code == 302
        response = self.client.post(
            f"{base}authored/?as=upload",
            {**authored, "upload": SimpleUploadedFile("p.pdf", pdf_with())},
        )
        assert response.status_code == 200
        assert "either written by section or an uploaded PDF, not both" in page_of(response)
        assert not Paper.objects.get(key="authored").file


def _written(writer: pypdf.PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
