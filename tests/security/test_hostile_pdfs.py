"""The hostile-PDF corpus (tests/security/hostile/pdfs.py): every kind of active content, the
ones refused since the second security pass (embedded files nothing points to, file
attachment annotations, embedded and remote go-to actions, file:// links) and the ones refused
before, run through both ways a PDF enters the records, the workspace's upload form and the
importer, each refused with a message that says what the PDF carries; plain PDFs with
ordinary links still go through both."""

from __future__ import annotations

import copy
import shutil
import tempfile
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from members.models import Body
from reports.models import Paper
from reports.pdf_safety import active_content
from tests.demo import DEMO_FILE, demo_document
from tests.pdfs import TemporaryMedia
from tests.security.hostile.pdfs import HOSTILE_PDFS, PLAIN_PDFS, pdf_with
from tests.security.hostile.world import page_of
from vru_governance.accounts.users import ensure_groups
from vru_governance.records.importer import RecordsError, import_records

UPLOAD_URL = "/manage/prg/meetings/2019-06-12/agenda/items/4/papers/new/?as=upload"


@pytest.mark.parametrize("kind", list(HOSTILE_PDFS))
def test_the_check_names_what_each_hostile_pdf_carries(kind: str) -> None:
    change, message = HOSTILE_PDFS[kind]
    found = active_content(pdf_with(change))
    assert any(message in what for what in found), (kind, found)


@pytest.mark.parametrize("kind", list(PLAIN_PDFS))
def test_a_pdf_with_an_ordinary_link_has_no_active_content(kind: str) -> None:
    assert active_content(pdf_with(PLAIN_PDFS[kind])) == []


class HostilePdfTests(TemporaryMedia, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        import_records(demo_document(), base_dir=DEMO_FILE.parent)
        secretariat, _ = ensure_groups()
        cls.secretary = User.objects.create_user("secretary")
        cls.secretary.groups.add(secretariat)
        Body.objects.get(slug="prg").secretaries.add(cls.secretary)

    def setUp(self) -> None:
        super().setUp()
        self.folder = Path(tempfile.mkdtemp(prefix="vru-hostile-pdfs-"))
        self.addCleanup(shutil.rmtree, self.folder, True)

    def upload(self, title: str, content: bytes) -> str:
        """The upload form's answer: empty when it accepted the PDF (a redirect)."""
        self.client.force_login(self.secretary)
        response = self.client.post(
            UPLOAD_URL,
            {
                "title": title,
                "classification": "public",
                "file_has_equality_comments": "on",
                "upload": SimpleUploadedFile("paper.pdf", content, "application/pdf"),
            },
        )
        return "" if response.status_code == 302 else page_of(response)

    def document_with_files(self, files: dict[str, bytes]) -> dict:
        """The demo records with one more paper per file, the file written beside them."""
        doc = demo_document()
        may = next(m for m in doc["bodies"][0]["meetings"] if m["key"] == "2019-05-01")
        item = next(i for i in may["items"] if i.get("papers"))
        template = item["papers"][0]
        for number, (name, content) in enumerate(files.items()):
            (self.folder / name).write_bytes(content)
            paper = copy.deepcopy(template)
            paper.pop("sections", None)
            paper.update(
                key=f"corpus-{number}",
                title=f"Corpus paper {number}",
                file=name,
                file_has_equality_comments=True,
            )
            item["papers"].append(paper)
        return doc

    def test_the_upload_form_refuses_every_hostile_pdf_saying_what_it_carries(self) -> None:
        for number, (kind, (change, message)) in enumerate(HOSTILE_PDFS.items()):
            page = self.upload(f"Hostile {number}", pdf_with(change))
            assert "The PDF contains" in page and message in page, kind
            assert "Save or print it again as a plain PDF" in page, kind
            assert not Paper.objects.filter(title=f"Hostile {number}").exists(), kind

    def test_the_upload_form_accepts_plain_pdfs_with_ordinary_links(self) -> None:
        for number, (kind, change) in enumerate(PLAIN_PDFS.items()):
            content = pdf_with(change)
            assert self.upload(f"Plain {number}", content) == "", kind
            assert Paper.objects.get(title=f"Plain {number}").file.read() == content, kind

    def test_the_importer_refuses_every_hostile_pdf_saying_what_it_carries(self) -> None:
        names = {kind: f"hostile-{n}.pdf" for n, kind in enumerate(HOSTILE_PDFS)}
        files = {names[kind]: pdf_with(change) for kind, (change, _) in HOSTILE_PDFS.items()}
        before = Paper.objects.count()
        with pytest.raises(RecordsError) as refused:
            import_records(self.document_with_files(files), base_dir=self.folder)
        said = [message for _, message in refused.value.errors]
        for kind, (_, message) in HOSTILE_PDFS.items():
            mine = [m for m in said if m.startswith(f"'{names[kind]}' contains")]
            assert mine and message in mine[0], (kind, mine)
            assert mine[0].endswith("papers must be plain PDFs."), kind
        assert Paper.objects.count() == before

    def test_the_importer_accepts_plain_pdfs_with_ordinary_links(self) -> None:
        files = {f"plain-{n}.pdf": pdf_with(change) for n, change in enumerate(PLAIN_PDFS.values())}
        import_records(self.document_with_files(files), base_dir=self.folder)
        for number in range(len(PLAIN_PDFS)):
            paper = Paper.objects.get(key=f"corpus-{number}")
            assert paper.file.read() == files[f"plain-{number}.pdf"]
