"""Stored documents and the views that serve them: versions, corrections, access, queries."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import HttpResponse, StreamingHttpResponse
from django.test import TestCase

from actions.models import Action, ActionOwner
from meetings.lock_scope import recording_history
from meetings.models import Meeting
from members.models import Person
from reports.models import Paper, StoredDocument
from reports.services import AGENDA_KINDS, MINUTES_KINDS, freeze_documents
from tests.demo import load_demo
from tests.jobs import run_jobs
from tests.pdfs import TemporaryMedia, read_pdf
from tests.world import build_cast

MARCH = "/prg/meetings/2019-03-06/"
MAY = "/prg/meetings/2019-05-01/"
JUNE = "/prg/meetings/2019-06-12/"
# The meeting, its stored copy (none): the job is asked for once the request is answered.
UNFROZEN_QUERIES = 2
UPLOADED = b"%PDF-1.4\n% an uploaded paper, served exactly as uploaded\n"


class StoredDocumentTests(TemporaryMedia, TestCase):
    """6 March 2019 is frozen (agenda, packs, minutes); other documents render live."""

    @classmethod
    @recording_history()
    def setUpTestData(cls) -> None:
        load_demo()
        cls.march = Meeting.objects.select_related("body").get(key="2019-03-06")
        body = cls.march.body
        cast = build_cast()  # (self.body reads a response here, so the cast is not a mixin)
        cls.secretary, cls.partner, cls.outsider = cast.secretary, cast.partner, cast.outsider

        may = Meeting.objects.get(body=body, key="2019-05-01")
        exempt = Paper(
            item=may.items.get(number="6"),
            key="data-sharing",
            title="Data Sharing Agreement",
            classification=Paper.Classification.EXEMPT,
            exemption_section="s.43",
            exemption_reason="Commercially sensitive.",
            exemption_review_on=dt.date(2020, 5, 1),
            executive_summary="1.1 WALRUS-SECRET terms.",
        )
        exempt.full_clean()
        exempt.save()
        upload = Paper(item=may.items.get(number="5"), key="slides", title="Slides")
        upload.file.save("slides.pdf", ContentFile(UPLOADED), save=False)
        upload.save()

        kinds = [k for k in AGENDA_KINDS if k != StoredDocument.Kind.ACTIONS_ARISING]
        cls.stored = freeze_documents(cls.march, kinds + list(MINUTES_KINDS))
        january = Meeting.objects.get(body=body, key="2019-01-22")
        freeze_documents(january, MINUTES_KINDS)

    def get(self, url: str, user: User | None = None) -> HttpResponse:
        if user is not None:
            self.client.force_login(user)
        return self.client.get(url)

    def frozen(self, url: str, user: User | None = None) -> HttpResponse:
        """A published document never frozen: the first request asks the job to freeze it
        (reports/freeze_jobs.py), which runs once it is answered; the next gets the copy."""
        with run_jobs():
            first = self.get(url, user)
        if first.status_code != 202:
            return first
        return self.get(url, user)

    @staticmethod
    def body(response: StreamingHttpResponse) -> bytes:
        return b"".join(response.streaming_content)

    # Freezing ----------------------------------------------------------------------------------

    def test_frozen_documents_keep_their_sha256_size_and_page_count(self) -> None:
        self.assertEqual(
            sorted(d.kind for d in self.stored),
            ["agenda", "minutes", "pack", "partners_agenda", "partners_pack"],
        )
        for document in self.stored:
            with document.file.open("rb") as handle:
                data = handle.read()
            self.assertEqual(document.sha256, hashlib.sha256(data).hexdigest())
            self.assertEqual(document.size, len(data))
            self.assertEqual(document.pages, len(read_pdf(data).pages))
            self.assertEqual((document.version, document.is_correction), (1, False))
            self.assertTrue(document.file.name.startswith("documents/prg/2019-03-06/"))

    def test_freezing_again_without_a_correction_keeps_what_is_stored(self) -> None:
        again = freeze_documents(self.march, ["minutes", "agenda"])
        before = {d.kind: d.pk for d in self.stored}
        self.assertEqual([d.pk for d in again], [before["minutes"], before["agenda"]])
        self.assertEqual(StoredDocument.objects.filter(meeting=self.march).count(), 5)

    def test_a_correction_is_a_new_version_that_says_so_and_both_stay_downloadable(self) -> None:
        first = next(d for d in self.stored if d.kind == "minutes")
        [second] = freeze_documents(
            self.march, ["minutes"], correction_note="Paragraph 4.2 now names the data owner."
        )
        self.assertEqual((second.version, second.is_correction), (2, True))
        with second.file.open("rb") as handle:
            text = read_pdf(handle.read()).flat(0)
        self.assertIn("Correction — version 2", text)
        self.assertIn("It replaces version 1, which remains available.", text)
        self.assertIn("Paragraph 4.2 now names the data owner.", text)

        latest = self.body(self.get(MARCH + "minutes.pdf"))
        self.assertEqual(hashlib.sha256(latest).hexdigest(), second.sha256)
        old = self.body(self.get(MARCH + "documents/1/minutes.pdf"))
        self.assertEqual(hashlib.sha256(old).hexdigest(), first.sha256)
        self.assertNotEqual(first.sha256, second.sha256)

    def test_freezing_refuses_documents_that_are_not_published(self) -> None:
        june = Meeting.objects.get(key="2019-06-12")
        with self.assertRaisesMessage(ValidationError, "agenda of"):
            freeze_documents(june, ["agenda"])
        may = Meeting.objects.get(key="2019-05-01")
        with self.assertRaisesMessage(ValidationError, "minutes of"):
            freeze_documents(may, ["minutes"])
        self.assertFalse(StoredDocument.objects.filter(meeting__in=[june, may]).exists())

    # Serving ----------------------------------------------------------------------------------

    def test_a_second_download_returns_the_stored_file_byte_for_byte(self) -> None:
        stored = next(d for d in self.stored if d.kind == "agenda")
        with stored.file.open("rb") as handle:
            on_disk = handle.read()
        first = self.get(MARCH + "agenda.pdf")
        second = self.get(MARCH + "agenda.pdf")
        self.assertEqual(self.body(first), on_disk)
        self.assertEqual(self.body(second), on_disk)
        self.assertEqual(first["Content-Type"], "application/pdf")
        self.assertEqual(
            first["Content-Disposition"], 'inline; filename="prg-2019-03-06-agenda-v1.pdf"'
        )
        self.assertEqual(first["ETag"], f'"{stored.sha256}"')

    def test_the_public_gets_public_documents_of_published_meetings_only(self) -> None:
        for url in ("agenda.pdf", "pack.pdf", "minutes.pdf", "documents/1/pack.pdf"):
            self.assertEqual(self.get(MARCH + url).status_code, 200, url)
        self.assertEqual(self.get(MARCH + "partners-pack.pdf").status_code, 404)
        self.assertEqual(self.get(MARCH + "documents/1/partners-pack.pdf").status_code, 404)
        self.assertEqual(self.get(MAY + "minutes.pdf").status_code, 404)
        self.assertEqual(self.get(JUNE + "agenda.pdf").status_code, 404)
        self.assertEqual(self.get(JUNE + "pack.pdf").status_code, 404)

    def test_the_partners_pack_is_for_partners_and_secretaries_only(self) -> None:
        self.assertEqual(self.get(MARCH + "partners-pack.pdf", self.outsider).status_code, 403)
        for user in (self.partner, self.secretary):
            response = self.get(MARCH + "partners-pack.pdf", user)
            self.assertEqual(response.status_code, 200)
            self.assertTrue(self.body(response).startswith(b"%PDF"))
            self.assertIn("private", response["Cache-Control"])

    def test_the_secretary_gets_a_draft_agenda_rendered_from_the_records(self) -> None:
        self.client.force_login(self.secretary)
        # 20: one more than before the second factor applied everywhere (meetings/access.py):
        # a session not past the second factor asks once whether the user has an authenticator;
        # and two more since the actions-arising report reads its actions' meetings and items
        # once each instead of joining them to every action (a decade's report: 0.75 s -> 0.26 s);
        # one fewer since the session is read from the cache (SESSION_ENGINE cached_db).
        with self.assertNumQueries(19):
            response = self.client.get(JUNE + "agenda.pdf")
        self.assertEqual(response.status_code, 200)
        self.assertIn("private", response["Cache-Control"])
        text = read_pdf(self.body(response)).all_text()
        self.assertIn("Date Wednesday 12 June 2019", text)
        self.assertIn("4 Actions Arising (Pages 1 - 2)", text)
        self.assertIn("The minutes of the meeting held on Wednesday 1 May 2019 will follow.", text)
        self.assertFalse(StoredDocument.objects.filter(meeting__key="2019-06-12").exists())

    def test_partners_read_circulated_draft_minutes_that_the_public_cannot(self) -> None:
        Meeting.objects.filter(key="2019-05-01").update(status="minutes_circulated")
        self.assertEqual(self.get(MAY + "minutes.pdf").status_code, 404)
        self.assertEqual(self.get(MAY + "minutes.pdf", self.outsider).status_code, 403)
        response = self.get(MAY + "minutes.pdf", self.partner)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Date: Wednesday 1 May 2019", read_pdf(self.body(response)).all_text())

    def test_exempt_papers_are_served_to_partners_only(self) -> None:
        url = MAY + "papers/data-sharing.pdf"
        self.assertEqual(self.get(url).status_code, 404)
        # 404 to a signed-in outsider too, as for a missing paper: a 403 would confirm a
        # guessed title (the key comes from it).
        self.assertEqual(self.get(url, self.outsider).status_code, 404)
        response = self.frozen(url, self.partner)
        self.assertEqual(response.status_code, 200)
        text = read_pdf(self.body(response)).all_text()
        self.assertIn("WALRUS-SECRET", text)
        self.assertIn("EXEMPT — NOT FOR PUBLICATION", text)
        self.assertIn("Exempt under: Freedom of Information Act 2000, s.43", text)

    def test_an_uploaded_paper_is_served_as_uploaded(self) -> None:
        response = self.frozen(MAY + "papers/slides.pdf")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.body(response), UPLOADED)
        self.assertEqual(
            response["Content-Disposition"], 'inline; filename="prg-2019-05-01-slides.pdf"'
        )
        self.assertEqual(self.get(MAY + "papers/nothing.pdf").status_code, 404)

    def test_unknown_versions_and_kinds_are_not_found(self) -> None:
        self.assertEqual(self.get(MARCH + "documents/9/minutes.pdf").status_code, 404)
        self.assertEqual(self.get(MARCH + "documents/1/bogus.pdf").status_code, 404)
        self.assertEqual(self.get("/prg/meetings/1999-01-01/agenda.pdf").status_code, 404)

    # Queries ---------------------------------------------------------------------------------

    def test_serving_a_stored_document_takes_two_queries_whatever_the_meeting(self) -> None:
        for url in (MARCH + "minutes.pdf", "/prg/meetings/2019-01-22/minutes.pdf"):
            with self.assertNumQueries(2):
                self.assertEqual(self.get(url).status_code, 200)

    def test_an_unfrozen_report_is_frozen_by_a_job_in_queries_whatever_the_actions(self) -> None:
        # Published (1 May's agenda, imported) but never frozen: the request renders nothing,
        # and takes the same queries however many actions the job will print.
        with self.assertNumQueries(UNFROZEN_QUERIES):
            self.assertEqual(self.get(MAY + "actions-arising.pdf").status_code, 202)
        owner = Person.objects.get(key="lib-peck")
        with recording_history():  # more actions of the past minutes, entered as records
            for meeting in Meeting.objects.filter(key__in=["2019-01-22", "2019-03-06"]):
                item = meeting.items.first()
                for n in range(5):
                    action = Action.objects.create(
                        meeting=meeting, item=item, key=f"extra-{n}", description=f"Extra {n}"
                    )
                    ActionOwner.objects.create(action=action, person=owner)
                    ActionOwner.objects.create(action=action, role="Clerk", position=1)
        with self.assertNumQueries(UNFROZEN_QUERIES):
            self.assertEqual(self.get(MAY + "actions-arising.pdf").status_code, 202)
        response = self.frozen(MAY + "actions-arising.pdf")
        self.assertIn("Extra 4", read_pdf(self.body(response)).all_text())
