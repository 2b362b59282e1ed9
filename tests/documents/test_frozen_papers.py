"""Papers frozen when the agenda is published: byte-stable, with ETag and 304, a partners' copy
of every paper (exempt ones stamped on every page) and a public copy of the public ones; drafts
marked DRAFT; checked by verify_documents and carried by backups."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import shutil
import tempfile
from pathlib import Path

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import HttpResponse, StreamingHttpResponse
from django.test import TestCase
from pypdf import PdfWriter

from meetings.models import Meeting
from meetings.services.publication import agenda_checks, publish_agenda
from members.models import Person
from reports.models import Paper, StoredDocument
from reports.services import freeze_documents
from tests.demo import load_demo
from tests.pdfs import TemporaryMedia, read_pdf
from tests.records.test_backup import wipe
from vru_governance.records.backup import backup, restore

JUNE = "/prg/meetings/2019-06-12/"
MAY = "/prg/meetings/2019-05-01/"
MARKING = "NOT FOR PUBLICATION"


def two_page_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_blank_page(width=842, height=595)  # landscape: scaled to fit, still marked
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


UPLOADED = two_page_pdf()


def add_paper(meeting: Meeting, number: str, key: str, **fields: object) -> Paper:
    upload = fields.pop("upload", None)
    paper = Paper(item=meeting.items.get(number=number), key=key, final=True, **fields)
    if paper.is_exempt:
        paper.exemption_section = "s.43"
        paper.exemption_reason = "Commercially sensitive."
        paper.exemption_review_on = dt.date(2020, 6, 1)
    if upload is not None:
        paper.file_has_equality_comments = True
        paper.file.save(f"{key}.pdf", ContentFile(upload), save=False)
    else:
        paper.equality_comments = "3.1 Considered."
    paper.full_clean()
    paper.save()
    return paper


class PaperWorld(TemporaryMedia, TestCase):
    """June 2019 of the demo with four final papers: authored and uploaded, public and exempt."""

    @classmethod
    def setUpTestData(cls) -> None:
        load_demo()
        cls.june = Meeting.objects.select_related("body").get(key="2019-06-12")
        cls.secretary = User.objects.create_user("secretary")
        cls.june.body.secretaries.add(cls.secretary)
        cls.partner = User.objects.create_user("jake")
        Person.objects.filter(key="jake-ferguson").update(user=cls.partner)
        cls.strategy = add_paper(
            cls.june, "5", "strategy", title="Strategy", executive_summary="1.1 PUBLIC-WORDS."
        )
        cls.secret = add_paper(
            cls.june,
            "6",
            "data-sharing",
            title="Data Sharing",
            classification="exempt",
            executive_summary="1.1 WALRUS-SECRET terms.",
        )
        cls.slides = add_paper(cls.june, "7", "slides", title="Slides", upload=UPLOADED)
        cls.contract = add_paper(
            cls.june, "5", "contract", title="Contract", classification="exempt", upload=UPLOADED
        )

    def get(self, url: str, user: User | None = None, **headers: str) -> HttpResponse:
        self.client.logout()
        if user is not None:
            self.client.force_login(user)
        return self.client.get(url, headers=headers)

    @staticmethod
    def body(response: StreamingHttpResponse) -> bytes:
        return b"".join(response.streaming_content)

    @classmethod
    def publish(cls) -> None:
        reasons = {c.key: "Test." for c in agenda_checks(cls.june) if not c.passed}
        publish_agenda(cls.june, cls.secretary, reasons)

    def copies(self) -> set[tuple[str, str, int]]:
        stored = StoredDocument.objects.filter(kind="paper").select_related("paper")
        return {(d.paper.key, d.audience, d.version) for d in stored}


class FrozenPaperTests(PaperWorld):
    """Published once for the class: rendering the packs and papers takes a few seconds."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.publish()

    def test_publishing_the_agenda_freezes_every_paper_for_each_of_its_audiences(self) -> None:
        assert self.copies() == {
            ("strategy", "public", 1),
            ("strategy", "partners", 1),
            ("slides", "public", 1),
            ("slides", "partners", 1),
            ("data-sharing", "partners", 1),
            ("contract", "partners", 1),
        }
        for document in StoredDocument.objects.filter(kind="paper"):
            with document.file.open("rb") as handle:
                data = handle.read()
            assert hashlib.sha256(data).hexdigest() == document.sha256
            assert document.size == len(data)

    def test_a_paper_edited_after_publication_keeps_the_pdf_that_was_published(self) -> None:
        first = self.get(JUNE + "papers/strategy.pdf")
        second = self.get(JUNE + "papers/strategy.pdf")
        assert first.status_code == 200 and "public" in first["Cache-Control"]
        published = self.body(first)
        assert self.body(second) == published
        assert "PUBLIC-WORDS" in read_pdf(published).all_text()
        Paper.objects.filter(pk=self.strategy.pk).update(executive_summary="1.1 CHANGED.")
        again = self.body(self.get(JUNE + "papers/strategy.pdf"))
        assert again == published
        assert "CHANGED" not in read_pdf(again).all_text()

    def test_a_client_that_has_the_frozen_bytes_gets_304_not_modified(self) -> None:
        first = self.get(JUNE + "papers/strategy.pdf")
        etag = first["ETag"]
        stored = StoredDocument.objects.get(paper=self.strategy, audience="public")
        assert etag == f'"{stored.sha256}"'
        cached = self.get(JUNE + "papers/strategy.pdf", **{"If-None-Match": etag})
        assert cached.status_code == 304 and cached["ETag"] == etag
        assert not cached.content
        agenda = self.get(JUNE + "agenda.pdf")
        again = self.get(JUNE + "agenda.pdf", **{"If-None-Match": agenda["ETag"]})
        assert again.status_code == 304
        other = self.get(JUNE + "papers/strategy.pdf", **{"If-None-Match": '"something-else"'})
        assert other.status_code == 200

    def test_the_public_never_gets_an_exempt_paper_even_with_its_etag(self) -> None:
        stored = StoredDocument.objects.get(paper=self.secret, audience="partners")
        response = self.get(JUNE + "papers/data-sharing.pdf", **{"If-None-Match": stored.sha256})
        assert response.status_code == 404

    def test_an_uploaded_public_paper_is_served_byte_for_byte_as_uploaded(self) -> None:
        for user in (None, self.partner):
            assert self.body(self.get(JUNE + "papers/slides.pdf", user)) == UPLOADED

    def test_an_uploaded_exempt_paper_is_stamped_on_every_page_for_partners(self) -> None:
        response = self.get(JUNE + "papers/contract.pdf", self.partner)
        assert response.status_code == 200 and "private" in response["Cache-Control"]
        pdf = read_pdf(self.body(response))
        assert len(pdf.pages) == 2
        for number, page in enumerate(pdf.pages, start=1):
            assert MARKING in page, f"page {number} is not marked"
        pack = StoredDocument.objects.get(meeting=self.june, kind="partners_pack")
        with pack.file.open("rb") as handle:
            marked = [p for p in read_pdf(handle.read()).pages if MARKING in p]
        # The exempt authored paper's pages and both uploaded pages carry the marking.
        assert len(marked) >= 3

    def test_an_exempt_authored_paper_is_marked_for_partners(self) -> None:
        text = read_pdf(self.body(self.get(JUNE + "papers/data-sharing.pdf", self.partner)))
        assert "WALRUS-SECRET" in text.all_text()
        assert all(MARKING in page for page in text.pages)

    def test_a_correction_freezes_a_new_version_of_the_papers_it_names(self) -> None:
        Paper.objects.filter(pk=self.strategy.pk).update(executive_summary="1.1 CORRECTED.")
        stored = freeze_documents(
            self.june,
            ["paper"],
            papers=[self.strategy],
            correction_note="The summary named the wrong borough.",
        )
        assert {(d.audience, d.version, d.is_correction) for d in stored} == {
            ("public", 2, True),
            ("partners", 2, True),
        }
        assert ("slides", "public", 2) not in self.copies()
        served = read_pdf(self.body(self.get(JUNE + "papers/strategy.pdf"))).all_text()
        assert "CORRECTED" in served

    def test_published_documents_carry_no_draft_marking(self) -> None:
        for url in ("papers/strategy.pdf", "agenda.pdf", "pack.pdf", "actions-arising.pdf"):
            text = read_pdf(self.body(self.get(JUNE + url))).all_text()
            assert "DRAFT" not in text, url

    def test_verify_documents_finds_a_paper_copy_that_changed_on_disk(self) -> None:
        call_command("verify_documents", stdout=io.StringIO())
        copy = StoredDocument.objects.get(paper=self.contract, audience="partners")
        path = Path(copy.file.path)
        published = path.read_bytes()
        self.addCleanup(path.write_bytes, published)  # files outlive the test's transaction
        path.write_bytes(b"%PDF-1.7 tampered")
        err = io.StringIO()
        with self.assertRaises(CommandError):
            call_command("verify_documents", stdout=io.StringIO(), stderr=err)
        assert "paper contract (partners) v1" in err.getvalue()

    def test_a_backup_restores_each_paper_copy_to_its_paper_and_audience(self) -> None:
        folder = Path(tempfile.mkdtemp(prefix="vru-backup-"))
        self.addCleanup(shutil.rmtree, folder, True)
        backup(folder)
        manifest = json.loads((folder / "documents.json").read_text())
        papers = {
            (e["item"], e["paper"], e["audience"])
            for e in manifest["documents"]
            if e["kind"] == "paper"
        }
        assert ("6", "data-sharing", "partners") in papers
        assert ("5", "strategy", "public") in papers
        assert len(papers) == 6
        before = self.body(self.get(JUNE + "papers/data-sharing.pdf", self.partner))

        wipe(self)
        summary = restore(folder)
        assert summary.documents_added == len(manifest["documents"])
        restored = StoredDocument.objects.get(paper__key="data-sharing", audience="partners")
        assert restored.meeting.key == "2019-06-12"
        # Published live (today, in this test): restored as it was, not as history.
        assert not restored.meeting.recorded_as_history
        partner = User.objects.create_user("jake-again")
        Person.objects.filter(key="jake-ferguson").update(user=partner)
        assert self.body(self.get(JUNE + "papers/data-sharing.pdf", partner)) == before


class DraftPaperTests(PaperWorld):
    def test_a_draft_paper_is_rendered_for_the_secretary_marked_draft(self) -> None:
        assert self.get(JUNE + "papers/strategy.pdf").status_code == 404
        for key, pages in (("strategy", 1), ("slides", 2)):  # an upload too: not as uploaded
            response = self.get(JUNE + f"papers/{key}.pdf", self.secretary)
            assert response.status_code == 200 and "private" in response["Cache-Control"]
            pdf = read_pdf(self.body(response))
            assert len(pdf.pages) == pages
            assert all("DRAFT" in page for page in pdf.pages), key
        assert not StoredDocument.objects.filter(kind="paper").exists()

    def test_every_page_of_a_draft_document_says_draft(self) -> None:
        for url in (JUNE + "agenda.pdf", JUNE + "pack.pdf", JUNE + "actions-arising.pdf"):
            pages = read_pdf(self.body(self.get(url, self.secretary))).pages
            assert pages and all("DRAFT" in page for page in pages), url
        # The 1 May minutes are still a draft: their agenda is published, they are not.
        minutes = read_pdf(self.body(self.get(MAY + "minutes.pdf", self.secretary))).pages
        assert all("DRAFT" in page for page in minutes)


class NotFinalCheckTests(PaperWorld):
    def setUp(self) -> None:
        Paper.objects.filter(pk=self.secret.pk).update(final=False)

    def test_the_checklist_names_every_paper_that_is_not_final(self) -> None:
        checks = {c.key: c for c in agenda_checks(self.june)}
        assert not checks["final"].passed
        assert checks["final"].detail == "Not marked final: item 6, 'Data Sharing'."
        Paper.objects.filter(pk=self.secret.pk).update(final=True)
        assert {c.key: c for c in agenda_checks(self.june)}["final"].passed

    def test_publishing_with_a_paper_not_final_needs_a_reason_on_every_path(self) -> None:
        others = {c.key: "Test." for c in agenda_checks(self.june) if c.key != "final"}
        with self.assertRaises(ValidationError) as refused:
            publish_agenda(self.june, self.secretary, others)
        assert "Every paper final failed" in str(refused.exception)
        assert Meeting.objects.get(pk=self.june.pk).status == "draft"

    def test_the_publish_page_asks_for_the_reason_and_records_it(self) -> None:
        self.client.force_login(self.secretary)
        url = "/manage/prg/meetings/2019-06-12/publish/"
        page = self.client.get(url).content.decode()
        assert 'data-check="final" data-passed="no"' in page
        assert "item 6, &#x27;Data Sharing&#x27;" in page
        assert "Reason for publishing despite: Every paper final" in page
