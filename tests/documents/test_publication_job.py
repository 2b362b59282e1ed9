"""Publishing as a job: the Publish button checks and records, renders nothing; the job
renders what the part cache lacks, then publishes, freezes and e-mails; the page shows how far
it has gone (reloading itself, no script), failures with "Try again". Papers' parts are
rendered ahead when saved, so that publishing only stitches, numbers and freezes."""

from __future__ import annotations

import datetime as dt
import threading
from unittest import mock

from django.conf import settings
from django.core.cache import caches
from django.test import override_settings
from django.utils import timezone
from django_tasks import task, task_backends
from django_tasks.base import TaskResultStatus

from meetings.models import Meeting
from meetings.services.publication import agenda_checks
from reports import publishing
from reports.documents.ahead import meeting_part_jobs, paper_part_jobs, render_ahead
from reports.documents.pack import Audience, build_pack
from reports.documents.parts import part_key
from reports.models import Paper, Publication, StoredDocument
from reports.papers import save_paper
from tests.documents.test_frozen_papers import PaperWorld
from tests.jobs import run_jobs

URL = "/manage/prg/meetings/2019-06-12/publish/"
PARTS = "test-publication-parts"
PART_CACHE = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": PARTS,
}
Kind = StoredDocument.Kind
State = Publication.State


def with_part_cache(**extra: object) -> override_settings:
    return override_settings(
        CACHES={**settings.CACHES, PARTS: PART_CACHE}, DOCUMENTS_PART_CACHE=PARTS, **extra
    )


class PublicationJobTests(PaperWorld):
    def setUp(self) -> None:
        self.client.force_login(self.secretary)
        self.reasons = {
            c.key: "Recorded for the test." for c in agenda_checks(self.june) if not c.passed
        }

    def publication(self) -> Publication:
        return Publication.objects.get(meeting=self.june)

    def test_the_publish_button_records_the_request_and_renders_nothing(self) -> None:
        with mock.patch(
            "reports.documents.workers.Pool.__init__", side_effect=AssertionError("rendered")
        ):
            response = self.client.post(URL, self.reasons)
        assert response.status_code == 302 and response["Location"] == URL
        publication = self.publication()
        assert publication.state == State.QUEUED
        assert publication.acknowledgements == self.reasons
        assert Meeting.objects.get(pk=self.june.pk).status == "draft"
        assert not StoredDocument.objects.filter(meeting=self.june).exists()
        page = self.client.get(URL).content.decode()
        assert "Waiting for the job." in page
        assert '<meta http-equiv="refresh" content="1">' in page
        assert "Publish the agenda</button>" not in page  # no second request while it runs
        assert "<script" not in page

    def test_the_job_publishes_with_every_document_frozen(self) -> None:
        with run_jobs():
            response = self.client.post(URL, self.reasons)
        assert response.status_code == 302
        publication = self.publication()
        assert publication.state == State.DONE and publication.finished_at is not None
        june = Meeting.objects.get(pk=self.june.pk)
        assert june.status == "agenda_published"
        assert dict(june.acknowledgements.values_list("check_key", "reason")) == self.reasons
        kinds = set(StoredDocument.objects.filter(meeting=june).values_list("kind", flat=True))
        assert kinds == {
            Kind.AGENDA,
            Kind.PACK,
            Kind.PARTNERS_PACK,
            Kind.PARTNERS_AGENDA,
            Kind.ACTIONS_ARISING,
            Kind.PAPER,
        }
        frozen = StoredDocument.objects.filter(meeting=june).count()
        page = self.client.get(URL).content.decode()
        assert 'data-state="done"' in page and "Agenda published." in page
        assert f"Every document is frozen ({frozen} documents)." in page
        assert "http-equiv" not in page

    def test_a_check_broken_before_the_job_runs_fails_it_and_publishes_nothing(self) -> None:
        self.client.post(URL, self.reasons)
        Paper.objects.filter(pk=self.strategy.pk).update(final=False)
        assert publishing.run(self.publication().pk) == State.FAILED
        publication = self.publication()
        assert "Every paper final failed" in publication.error
        assert Meeting.objects.get(pk=self.june.pk).status == "draft"
        assert not StoredDocument.objects.filter(meeting=self.june).exists()
        assert not self.june.acknowledgements.exists()

    def test_a_failed_render_is_shown_with_try_again_which_publishes(self) -> None:
        with (
            mock.patch("reports.services.freeze_documents", side_effect=RuntimeError("down")),
            self.assertLogs("reports.publishing", "ERROR"),
            run_jobs(),
        ):
            self.client.post(URL, self.reasons)
        assert self.publication().state == State.FAILED
        assert Meeting.objects.get(pk=self.june.pk).status == "draft"
        page = self.client.get(URL).content.decode()
        assert "Publishing failed. The documents could not be made (RuntimeError)" in page
        assert "Try again</button>" in page
        with run_jobs():
            response = self.client.post(f"{URL}try-again/")
        assert response.status_code == 302
        publication = self.publication()
        assert publication.state == State.DONE and publication.attempts == 2
        assert Meeting.objects.get(pk=self.june.pk).status == "agenda_published"

    def test_a_second_publish_while_one_is_under_way_is_refused(self) -> None:
        self.client.post(URL, self.reasons)
        page = self.client.post(URL, self.reasons).content.decode()
        assert "The agenda is already being published" in page
        assert Publication.objects.filter(meeting=self.june).count() == 1

    def test_a_job_that_stopped_moving_is_offered_again(self) -> None:
        self.client.post(URL, self.reasons)
        Publication.objects.filter(meeting=self.june).update(
            state=State.RENDERING, updated_at=timezone.now() - dt.timedelta(minutes=11)
        )
        page = self.client.get(URL).content.decode()
        assert "Publishing stopped: its job has not moved since" in page
        assert "Try again</button>" in page and "http-equiv" not in page
        with run_jobs():
            self.client.post(f"{URL}try-again/")
        assert self.publication().state == State.DONE

    def test_try_again_is_refused_while_the_job_runs(self) -> None:
        self.client.post(URL, self.reasons)
        response = self.client.post(f"{URL}try-again/", follow=True)
        assert "The agenda is being published" in response.content.decode()
        assert self.publication().state == State.QUEUED

    @with_part_cache(DOCUMENTS_RENDER_AHEAD=True)
    def test_the_job_counts_the_parts_it_renders_and_frees_the_lock_for_freezing(self) -> None:
        # Nothing rendered before: an earlier test in this process may have cached June's parts.
        caches[settings.DOCUMENTS_PART_CACHE].clear()
        seen: list[tuple[int, int]] = []
        real = publishing._set

        def spy(pk: int, **fields: object) -> None:
            if "total" in fields:
                seen.append((fields["done"], fields["total"]))
            real(pk, **fields)

        with mock.patch("reports.publishing._set", spy), run_jobs():
            self.client.post(URL, self.reasons)
        assert self.publication().state == State.DONE
        total = seen[0][1]
        assert total >= 6 and seen[-1] == (total, total)  # both packs' parts, then each done


@with_part_cache(DOCUMENTS_RENDER_AHEAD=True)
class RenderedAheadTests(PaperWorld):
    def setUp(self) -> None:
        caches[PARTS].clear()

    def cached(self, jobs: list) -> list[bool]:
        return [caches[PARTS].get(part_key(job)) is not None for job in jobs]

    def test_saving_a_paper_renders_its_parts_of_both_packs_by_a_job(self) -> None:
        paper = Paper.objects.get(pk=self.strategy.pk)
        paper.executive_summary = "1.1 Changed before publication."
        assert self.cached(paper_part_jobs(paper)) == [False, False]
        with run_jobs():
            save_paper(paper, version=paper.version)
        assert self.cached(paper_part_jobs(Paper.objects.get(pk=paper.pk))) == [True, True]

    @override_settings(DOCUMENTS_RENDER_AHEAD=False)
    def test_with_render_ahead_off_a_save_renders_nothing(self) -> None:
        paper = Paper.objects.get(pk=self.strategy.pk)
        with run_jobs() as callbacks:
            save_paper(paper, version=paper.version)
        assert callbacks == []

    def test_parts_rendered_ahead_leave_publishing_only_the_agenda_and_numbers(self) -> None:
        render_ahead(meeting_part_jobs(self.june))
        self.publish()
        june = Meeting.objects.select_related("body").get(pk=self.june.pk)
        for audience in (Audience.PUBLIC, Audience.PARTNERS):
            pack = build_pack(june, audience, with_agenda=False).pack
            # Every item's part came from the cache; only the pack's own pages were rendered.
            assert not [label for label in pack.extra["rendered"] if label.startswith("Item")]


@task()
def which_thread() -> str:
    return threading.current_thread().name


@override_settings(
    TASKS={
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
        "thread": {"BACKEND": "vru_governance.jobs.ThreadBackend"},
    }
)
def test_the_embedded_backend_runs_jobs_in_a_thread_of_its_own() -> None:
    job = which_thread.using(backend="thread")
    result = job.enqueue()
    task_backends["thread"].wait()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == "jobs" and threading.current_thread().name != "jobs"
