"""The accessibility check of uploaded papers (reports/pdf_accessibility.py): three sample PDFs
(tagged, untagged, without a title) through the upload form, the importer, the pre-publication
checklist and the public accessibility statement."""

from __future__ import annotations

import copy
import functools
import io
import shutil
import tempfile
from pathlib import Path

import pikepdf
import weasyprint
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from meetings.models import Meeting
from meetings.services.publication import agenda_checks
from members.models import Body
from reports.models import Paper
from reports.pdf_accessibility import (
    FONTS_NOT_EMBEDDED,
    NO_TITLE,
    TITLE_NOT_SHOWN,
    UNREADABLE,
    UNTAGGED,
    check_pdf_accessibility,
)
from tests.demo import DEMO_FILE, demo_document
from tests.pdfs import TemporaryMedia
from vru_governance.accounts.users import ensure_groups
from vru_governance.records.importer import import_records

UPLOAD_URL = "/manage/prg/meetings/2019-06-12/agenda/items/4/papers/new/?as=upload"
HTML = (
    '<html lang="en"><head><title>Serious violence strategy</title></head>'
    "<body><h1>Serious violence strategy</h1><p>The board is asked to note the strategy.</p>"
    "</body></html>"
)


@functools.cache
def tagged() -> bytes:
    return weasyprint.HTML(string=HTML).write_pdf(pdf_variant="pdf/ua-1")


@functools.cache
def untagged() -> bytes:
    return weasyprint.HTML(string=HTML).write_pdf()


@functools.cache
def no_title() -> bytes:
    """The tagged sample with its title taken out of the document info and the XMP."""
    with pikepdf.open(io.BytesIO(tagged())) as pdf:
        del pdf.docinfo["/Title"]
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            del meta["dc:title"]
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def standard_font() -> bytes:
    """The tagged sample with its fonts swapped for Helvetica, which the reader supplies."""
    with pikepdf.open(io.BytesIO(tagged())) as pdf:
        for page in pdf.pages:
            for name in list(page.Resources.Font.keys()):
                page.Resources.Font[name] = pdf.make_indirect(
                    pikepdf.Dictionary(
                        Type=pikepdf.Name.Font,
                        Subtype=pikepdf.Name.Type1,
                        BaseFont=pikepdf.Name.Helvetica,
                    )
                )
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def test_a_tagged_titled_pdf_in_english_with_embedded_fonts_passes() -> None:
    assert check_pdf_accessibility(tagged()) == []


def test_an_untagged_pdf_fails_as_untagged_and_without_its_title_shown() -> None:
    assert check_pdf_accessibility(untagged()) == [UNTAGGED, TITLE_NOT_SHOWN]


def test_a_pdf_without_a_title_fails_only_for_its_title() -> None:
    assert check_pdf_accessibility(no_title()) == [NO_TITLE]


def test_a_pdf_with_a_font_it_does_not_embed_fails_for_its_fonts() -> None:
    assert check_pdf_accessibility(standard_font()) == [FONTS_NOT_EMBEDDED]


def test_a_file_that_is_not_a_pdf_is_reported_as_not_checked() -> None:
    assert check_pdf_accessibility(b"not a pdf") == [UNREADABLE]


class UploadAccessibilityTests(TemporaryMedia, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        import_records(demo_document(), base_dir=DEMO_FILE.parent)
        secretariat, _ = ensure_groups()
        cls.secretary = User.objects.create_user("secretary")
        cls.secretary.groups.add(secretariat)
        Body.objects.get(slug="prg").secretaries.add(cls.secretary)

    def upload(self, title: str, content: bytes) -> str:
        """The page the secretary lands on after uploading (the item page, with messages)."""
        self.client.force_login(self.secretary)
        response = self.client.post(
            UPLOAD_URL,
            {
                "title": title,
                "classification": "public",
                "file_has_equality_comments": "on",
                "upload": SimpleUploadedFile("paper.pdf", content, "application/pdf"),
            },
            follow=True,
        )
        assert response.redirect_chain, response.content.decode()[:2000]
        return response.content.decode()

    def test_the_upload_tells_the_secretary_which_sample_fails_and_why(self) -> None:
        page = self.upload("Tagged paper", tagged())
        assert "not accessible" not in page
        page = self.upload("Untagged paper", untagged())
        assert "The PDF of &#x27;Untagged paper&#x27; is not accessible" in page
        assert "It is not tagged: screen readers cannot tell its headings" in page
        assert "Viewers show its file name instead of its title" in page
        page = self.upload("Untitled paper", no_title())
        assert "The PDF of &#x27;Untitled paper&#x27; is not accessible" in page
        assert "It has no title in its document properties" in page
        assert "It is not tagged" not in page
        stored = {p.title: p.file_accessibility_failures for p in Paper.objects.all()}
        assert stored["Tagged paper"] == []
        assert stored["Untagged paper"] == [UNTAGGED, TITLE_NOT_SHOWN]
        assert stored["Untitled paper"] == [NO_TITLE]

    def test_the_papers_page_keeps_warning_until_a_better_file_replaces_it(self) -> None:
        self.upload("Untagged paper", untagged())
        paper = Paper.objects.get(title="Untagged paper")
        url = f"/manage/prg/meetings/2019-06-12/agenda/items/4/papers/{paper.key}/"
        page = self.client.get(url).content.decode()
        assert 'id="accessibility-problems"' in page
        assert "It is not tagged" in page
        paper.file.save("paper.pdf", io.BytesIO(tagged()))
        assert paper.file_accessibility_failures == []
        assert 'id="accessibility-problems"' not in self.client.get(url).content.decode()

    def test_the_checklist_names_each_inaccessible_paper_and_what_it_lacks(self) -> None:
        meeting = Meeting.objects.get(body__slug="prg", key="2019-06-12")
        (before,) = [c for c in agenda_checks(meeting) if c.key == "accessibility"]
        self.upload("Untitled paper", no_title())
        (check,) = [c for c in agenda_checks(meeting) if c.key == "accessibility"]
        assert before.passed and not check.passed and check.blocks
        assert "'Untitled paper': It has no title in its document properties" in check.detail

    def test_the_statement_lists_the_published_papers_that_fail_from_the_importer(self) -> None:
        folder = Path(tempfile.mkdtemp(prefix="vru-accessibility-"))
        self.addCleanup(shutil.rmtree, folder, True)
        samples = {"tagged.pdf": tagged(), "untagged.pdf": untagged(), "untitled.pdf": no_title()}
        doc = demo_document()
        may = next(m for m in doc["bodies"][0]["meetings"] if m["key"] == "2019-05-01")
        item = next(i for i in may["items"] if i.get("papers"))
        template = item["papers"][0]
        for number, (name, content) in enumerate(samples.items()):
            (folder / name).write_bytes(content)
            paper = copy.deepcopy(template)
            paper.pop("sections", None)
            paper.update(
                key=f"sample-{number}",
                title=f"Sample {name}",
                classification="public",
                file=name,
                file_has_equality_comments=True,
            )
            item["papers"].append(paper)
        import_records(doc, base_dir=folder)

        page = self.client.get("/accessibility/").content.decode()
        assert "Published papers that fail our accessibility check" in page
        assert "Sample untagged.pdf</a>" in page
        assert "not tagged for screen readers; viewers show the file name, not the title" in page
        assert "Sample untitled.pdf</a>" in page and "no document title" in page
        assert "Sample tagged.pdf" not in page
        assert "/papers/sample-1.pdf" in page
