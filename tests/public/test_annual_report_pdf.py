"""The annual report's PDF is a stored file (issue 16): a job renders it from the year's
figures, a request only serves what is stored (with its SHA-256 as ETag) or says it is being
prepared, and a change in the year's records gives a new file."""

from __future__ import annotations

import datetime as dt
import io
from unittest import mock

from django.core.cache import cache
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from actions.models import Action, ActionUpdate
from meetings.models import Attendance, Meeting
from members.models import Body, Person
from reports.annual_pdf import queued_key, store_annual_pdf
from reports.models import AnnualReportPdf
from reports.services import freeze_documents
from tests.jobs import run_jobs
from tests.no_render import no_render
from tests.public_world import add_item, add_meeting
from tests.world import DemoWorld
from vru_governance import page_cache

URL = "/prg/annual/2019/annual-report.pdf"
PAGE = "/prg/annual/2019/"


def counting() -> CaptureQueriesContext:
    # The log keeps the last 9,000 queries: once full, a capture would count none.
    connection.queries_log.clear()
    return CaptureQueriesContext(connection)


class AnnualReportPdfTests(DemoWorld, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()
        cls.body = Body.objects.get(slug="prg")

    def rendered(self) -> AnnualReportPdf:
        """The first request asks for the job, which runs once the request is done."""
        with run_jobs(), no_render():  # the jobs run when run_jobs ends, after no_render
            first = self.client.get(URL)
        assert first.status_code == 202
        return AnnualReportPdf.objects.get(body=self.body, year=2019)

    def test_before_its_job_has_run_the_pdf_url_says_it_is_being_prepared(self) -> None:
        with no_render():
            response = self.client.get(URL)
            page = self.client.get(PAGE).content.decode()
        assert response.status_code == 202
        assert response["Retry-After"] == "10"
        assert "no-store" in response["Cache-Control"]
        text = response.content.decode()
        assert "The PDF of the annual report is being prepared" in text
        assert '<meta http-equiv="refresh" content="10">' in text
        assert "being prepared from the latest published records" in page
        assert not AnnualReportPdf.objects.exists()

    def test_the_job_stores_the_pdf_and_requests_serve_it_without_rendering(self) -> None:
        stored = self.rendered()
        assert stored.pages >= 1
        assert stored.size == stored.file.size
        with no_render():
            response = self.client.get(URL)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        pdf = b"".join(response.streaming_content)
        assert response["ETag"] == f'"{stored.sha256}"'
        assert "public" in response["Cache-Control"]
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
        assert "ANNUAL REPORT 2019" in text
        assert "Agreed by consensus" in text

    def test_the_page_labels_the_link_with_the_stored_files_size_and_pages(self) -> None:
        stored = self.rendered()
        with no_render():
            text = self.client.get(PAGE).content.decode()
        pages = f"{stored.pages} page" + ("s" if stored.pages > 1 else "")
        assert f"Annual report 2019 (PDF, {round(stored.size / 1000)} KB, {pages})" in text
        assert "being prepared" not in text

    def test_a_client_holding_the_same_bytes_gets_304(self) -> None:
        stored = self.rendered()
        with no_render():
            response = self.client.get(URL, headers={"If-None-Match": f'"{stored.sha256}"'})
            other = self.client.get(URL, headers={"If-None-Match": '"something-else"'})
        assert response.status_code == 304
        assert response["ETag"] == f'"{stored.sha256}"'
        assert other.status_code == 200

    def test_a_change_in_the_years_records_gives_a_new_file_and_removes_the_old(self) -> None:
        before = self.rendered()
        action = Action.objects.get(key="2019-03-06-1-1")
        ActionUpdate.objects.create(action=action, date=dt.date(2019, 4, 2), status="complete")
        with run_jobs(), no_render():
            # The stored copy shows the old figures: not served, the new one asked for.
            assert self.client.get(URL).status_code == 202
        after = AnnualReportPdf.objects.get(body=self.body, year=2019)
        assert after.digest != before.digest
        assert after.sha256 != before.sha256
        assert after.file.name != before.file.name
        assert not before.file.storage.exists(before.file.name)
        with no_render():
            response = self.client.get(URL, headers={"If-None-Match": f'"{before.sha256}"'})
        assert response.status_code == 200
        assert response["ETag"] == f'"{after.sha256}"'

    def test_many_readers_asking_at_once_queue_one_job(self) -> None:
        # The mock never runs the job, which would say it is no longer queued.
        self.addCleanup(cache.delete, queued_key(self.body.pk, 2019))
        with mock.patch("reports.annual_pdf.render_annual_pdf_job") as job:
            with run_jobs():
                for _ in range(3):
                    assert self.client.get(URL).status_code == 202
            assert job.enqueue.call_count == 1

    def test_a_job_for_figures_already_stored_renders_nothing(self) -> None:
        self.rendered()
        with no_render():
            assert store_annual_pdf(self.body.pk, 2019) == "already stored"
            assert store_annual_pdf(self.body.pk, 1999) == "no report"
        assert AnnualReportPdf.objects.count() == 1

    @override_settings(DOCUMENTS_RENDER_AHEAD=True)
    def test_freezing_a_meetings_documents_renders_its_years_report_ahead(self) -> None:
        march = Meeting.objects.get(body=self.body, key="2019-03-06")
        with run_jobs():
            freeze_documents(march, ["minutes"])
        assert AnnualReportPdf.objects.filter(body=self.body, year=2019).exists()
        with no_render():
            assert self.client.get(URL).status_code == 200

    def test_the_query_count_does_not_grow_with_the_records(self) -> None:
        self.rendered()
        with no_render(), counting() as before:
            assert self.client.get(URL).status_code == 200
        person = Person.objects.get(key="jake-ferguson")
        for day in range(5):
            meeting = add_meeting(self.body, dt.date(2019, 11, 1 + day), "draft")
            item = add_item(meeting, "1", f"Item {day}")
            item.outcome = "noted"
            item.save()
            Attendance.objects.create(meeting=meeting, person=person, capacity="member")
            Meeting.objects.filter(pk=meeting.pk).update(status="minutes_published")
        with no_render(), counting() as pending:
            assert self.client.get(URL).status_code == 202
        self.rendered_again()
        with no_render(), counting() as after:
            assert self.client.get(URL).status_code == 200
        assert len(pending.captured_queries) == len(before.captured_queries)
        assert len(after.captured_queries) == len(before.captured_queries)
        # The body, its years, the report's eight queries, the stored copy.
        assert len(before.captured_queries) == 11

    def rendered_again(self) -> None:
        with run_jobs():
            assert self.client.get(URL).status_code == 202


@override_settings(PUBLIC_PAGE_CACHE_SECONDS=600)
class AnnualReportDigestKeptTests(DemoWorld, TestCase):
    """While public pages are cached, the digest the PDF is stored under is kept with them:
    a request of the PDF renders the report's HTML once per generation of the records, not
    once per request; a saved record (a new generation) gives the new figures' digest."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()
        cls.body = Body.objects.get(slug="prg")

    def setUp(self) -> None:
        cache.clear()

    def test_the_digest_is_computed_once_per_generation(self) -> None:
        from reports.documents import annual_report as source_module

        with run_jobs(), no_render():
            assert self.client.get(URL).status_code == 202
        real = source_module.annual_report_source
        with (
            mock.patch(
                "vru_governance.public.annual.annual_report_source", side_effect=real
            ) as computed,
            no_render(),
        ):
            assert self.client.get(URL).status_code == 200
            assert self.client.get(URL).status_code == 200
            assert computed.call_count <= 1  # the job's request computed it already
            # A record saved: after its commit the records' generation moves on (page_cache;
            # a TestCase never commits, so the move is made here), and the next request
            # computes the new figures' digest.
            action = Action.objects.filter(meeting__body=self.body).first()
            ActionUpdate.objects.create(
                action=action, date=dt.date(2019, 12, 1), status="complete", note="Done."
            )
            page_cache.invalidate()
            before = computed.call_count
            response = self.client.get(URL)
            assert computed.call_count == before + 1
        assert response.status_code in (200, 202)
