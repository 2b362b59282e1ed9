"""The parts a pack generates from the records (the last meeting's minutes, the actions-arising
report) are rendered ahead like the papers' parts (issue 16): when a paper of the meeting is
saved, and when the minutes of the meeting before are frozen. With every part ahead, the
publication job renders none: it only stitches, numbers and freezes."""

from __future__ import annotations

from unittest import mock

from django.core.cache import caches

from meetings.models import Meeting
from meetings.services.publication import agenda_checks
from reports import publishing
from reports.ahead_jobs import minutes_frozen, next_draft, render_meeting_ahead_job
from reports.documents.ahead import GENERATED_KINDS, meeting_part_jobs
from reports.documents.ahead import render_paper_ahead as render_paper_now
from reports.documents.parts import part_key
from reports.models import Paper, Publication
from reports.papers import save_paper
from reports.services import freeze_documents
from tests.documents.test_frozen_papers import PaperWorld
from tests.documents.test_publication_job import PARTS, with_part_cache
from tests.jobs import run_jobs

URL = "/manage/prg/meetings/2019-06-12/publish/"


@with_part_cache(DOCUMENTS_RENDER_AHEAD=True)
class GeneratedPartsAheadTests(PaperWorld):
    def setUp(self) -> None:
        caches[PARTS].clear()

    def cached(self, jobs: list) -> list[bool]:
        return [caches[PARTS].get(part_key(job)) is not None for job in jobs]

    def generated(self) -> list:
        june = Meeting.objects.select_related("body").get(pk=self.june.pk)
        return meeting_part_jobs(june, GENERATED_KINDS)

    def test_junes_packs_generate_the_actions_arising_the_same_for_both(self) -> None:
        # May's minutes are not yet approved: the agenda says so, with no part to render.
        jobs = self.generated()
        assert len(jobs) == 1
        assert "ACTIONS ARISING" in jobs[0].html.upper()

    def test_saving_a_paper_renders_its_meetings_generated_parts_too(self) -> None:
        assert not any(self.cached(self.generated()))
        paper = Paper.objects.get(pk=self.strategy.pk)
        with run_jobs():
            save_paper(paper, version=paper.version)
        assert all(self.cached(self.generated()))

    def test_freezing_the_last_meetings_minutes_renders_the_next_drafts_parts(self) -> None:
        may = Meeting.objects.select_related("body").get(body=self.june.body, key="2019-05-01")
        assert next_draft(may) == self.june
        with run_jobs():
            minutes_frozen(may)
        assert all(self.cached(self.generated()))

    def test_freezing_minutes_asks_for_the_next_drafts_parts(self) -> None:
        march = Meeting.objects.get(body=self.june.body, key="2019-03-06")
        with mock.patch("reports.services.minutes_frozen") as hook:
            freeze_documents(march, ["minutes"])
            freeze_documents(march, ["agenda"])
        assert [call.args[0].pk for call in hook.call_args_list] == [march.pk]

    def test_with_every_part_ahead_the_publication_job_renders_none(self) -> None:
        for paper in Paper.objects.filter(item__meeting=self.june).select_related("item"):
            render_paper_now(paper)
        with run_jobs():
            minutes_frozen(Meeting.objects.get(body=self.june.body, key="2019-05-01"))
        totals: list[int] = []
        real = publishing._set

        def spy(pk: int, **fields: object) -> None:
            if "total" in fields:
                totals.append(int(fields["total"]))
            real(pk, **fields)

        self.client.force_login(self.secretary)
        reasons = {c.key: "Test." for c in agenda_checks(self.june) if not c.passed}
        with mock.patch("reports.publishing._set", spy), run_jobs():
            self.client.post(URL, reasons)
        assert Publication.objects.get(meeting=self.june).state == Publication.State.DONE
        # The job that rendered the generated parts joined the documents ahead too: the
        # publication stores them from the cache, with no pass rendering parts before the lock.
        assert totals == []

    def test_a_published_meetings_parts_are_not_rendered_ahead(self) -> None:
        self.publish()
        may = Meeting.objects.get(body=self.june.body, key="2019-05-01")
        assert next_draft(may) != self.june
        with mock.patch("reports.ahead_jobs.render_generated_ahead") as render:
            assert render_meeting_ahead_job.call(self.june.pk) == 0
        render.assert_not_called()
