"""What a request still renders (issue 16) is bounded: drafts, for those who may see them, and
the chair's brief are rendered in worker processes with the hard time limit, even where the
site renders in-process otherwise; past the limit the reader gets 503 with the reason, never a
request left waiting. A published document never frozen is frozen by a job instead."""

from __future__ import annotations

from unittest import mock

from django.core.cache import cache
from django.test import override_settings

from reports.freeze_jobs import queued_key
from reports.models import StoredDocument
from tests.documents.test_frozen_papers import PaperWorld
from tests.jobs import run_jobs
from tests.no_render import no_render

JUNE = "/prg/meetings/2019-06-12/"
# Each way a request renders: a pack (build_pack), a standalone document (render_pdf), a
# draft paper (render_paper_files), the chair's brief.
RENDERED_ON_REQUEST = ("pack.pdf", "actions-arising.pdf", "papers/strategy.pdf", "chairs-brief.pdf")


class DraftRendersBoundedTests(PaperWorld):
    @override_settings(DOCUMENTS_RENDER_WORKERS=1, DOCUMENTS_RENDER_TIME_LIMIT=0)
    def test_a_render_past_the_time_limit_is_stopped_and_answered_503(self) -> None:
        # One worker configured (a one-core site renders in-process): still a worker process
        # with the limit, which no render can meet here.
        for path in RENDERED_ON_REQUEST:
            response = self.get(JUNE + path, self.secretary)
            assert response.status_code == 503, path
            assert "took more than 0 s to render" in response.content.decode(), path
            assert "private" in response["Cache-Control"]

    @override_settings(DOCUMENTS_RENDER_WORKERS=1)
    def test_within_the_limit_the_draft_is_served_privately(self) -> None:
        response = self.get(JUNE + "papers/strategy.pdf", self.secretary)
        assert response.status_code == 200
        assert self.body(response).startswith(b"%PDF-")
        assert "private" in response["Cache-Control"]

    def test_a_published_paper_never_frozen_is_frozen_by_a_job_not_the_request(self) -> None:
        self.publish()
        StoredDocument.objects.filter(paper=self.strategy).delete()  # as if imported
        url = JUNE + "papers/strategy.pdf"
        with run_jobs(), no_render():  # the job runs when run_jobs ends, after no_render
            response = self.get(url)
        assert response.status_code == 202
        assert response["Retry-After"] == "5"
        assert "This document is being prepared" in response.content.decode()
        with no_render():
            response = self.get(url)
        assert response.status_code == 200
        stored = StoredDocument.objects.get(paper=self.strategy, audience="public")
        assert response["ETag"] == f'"{stored.sha256}"'

    def test_many_readers_of_a_document_never_frozen_queue_one_freeze(self) -> None:
        self.publish()
        StoredDocument.objects.filter(meeting=self.june, kind="pack").delete()  # as if imported
        self.addCleanup(cache.delete, queued_key(self.june.pk, "pack", None))
        with mock.patch("reports.freeze_jobs.freeze_job") as job, run_jobs():
            for _ in range(3):
                assert self.get(JUNE + "pack.pdf").status_code == 202
        assert job.enqueue.call_count == 1
