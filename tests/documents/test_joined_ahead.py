"""The documents publishing freezes are joined ahead, as they will be published (issue 16): the
job a saved paper queues renders the parts and then joins the packs, agendas, papers' copies
and the actions-arising report into the part cache, so that publishing stores what was joined
instead of joining it under the meeting's lock. What changed since is joined again; saves in a
row join once."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from unittest import mock

from django.core.cache import caches

from meetings.models import Meeting
from reports import ahead_jobs
from reports.documents.render import write_document
from reports.documents.workers import Pool
from reports.models import Paper, StoredDocument
from reports.papers import save_paper
from reports.services import join_ahead
from tests.documents.test_frozen_papers import PaperWorld
from tests.documents.test_publication_job import PARTS, with_part_cache
from tests.jobs import run_jobs
from tests.pdfs import read_pdf


@contextmanager
def pool_work() -> Iterator[list[str]]:
    """The names of the functions sent to render processes meanwhile (joining, writing, a
    part's render), recorded as they are sent."""
    sent: list[str] = []
    real = Pool.submit

    def watched(pool: Pool, function: Callable, job: object) -> Callable:
        sent.append(function.__name__)
        return real(pool, function, job)

    with mock.patch.object(Pool, "submit", watched):
        yield sent


class JuneDocuments(PaperWorld):
    """June's draft as the jobs read it, and what its freeze stored."""

    def draft(self) -> Meeting:
        return Meeting.objects.select_related("body").get(pk=self.june.pk)

    def stored(self) -> dict[tuple[str, int | None, str], StoredDocument]:
        return {
            (d.kind, d.paper_id, d.audience): d
            for d in StoredDocument.objects.filter(meeting=self.june)
        }


@with_part_cache(DOCUMENTS_RENDER_AHEAD=True)
class JoinedAheadTests(JuneDocuments):
    def setUp(self) -> None:
        caches[PARTS].clear()

    def test_publishing_after_joining_ahead_joins_and_writes_nothing(self) -> None:
        join_ahead(self.draft())
        with pool_work() as sent:
            self.publish()
        assert sent == []  # nothing rendered, joined or written
        stored = self.stored()
        kinds = {kind for kind, _, _ in stored}
        assert kinds >= {"agenda", "pack", "partners_pack", "partners_agenda", "paper"}
        pack = read_pdf(stored[("pack", None, "")].file.read())
        assert "DRAFT" not in pack.all_text()  # joined as it is published
        assert "Strategy" in pack.all_text() and "WALRUS-SECRET" not in pack.all_text()
        partners = read_pdf(stored[("partners_pack", None, "")].file.read())
        assert "WALRUS-SECRET" in partners.all_text()

    def test_what_changed_since_is_joined_again(self) -> None:
        join_ahead(self.draft())
        paper = Paper.objects.get(pk=self.strategy.pk)
        paper.title = "Strategy, revised"
        paper.save()
        with pool_work() as sent:
            self.publish()
        joined = [name for name in sent if name == "run_assembly"]
        stored = self.stored()
        assert "Strategy, revised" in read_pdf(stored[("pack", None, "")].file.read()).all_text()
        copy = stored[("paper", self.strategy.pk, "public")]
        assert "Strategy, revised" in read_pdf(copy.file.read()).all_text()
        # The packs, agendas and the strategy paper's copies; not the unchanged papers.
        assert 0 < len(joined) < 4 + 2 + 3

    def test_the_standalone_actions_arising_report_is_kept_too(self) -> None:
        join_ahead(self.draft())
        with pool_work() as sent:
            self.publish()
        assert "write_document" not in sent
        assert ("actions_arising", None, "") in self.stored()

    def test_a_saved_papers_job_joins_the_meetings_documents(self) -> None:
        paper = Paper.objects.get(pk=self.strategy.pk)
        with mock.patch("reports.services.join_ahead") as join, run_jobs():
            save_paper(paper, version=paper.version)
        assert [call.args[0].pk for call in join.call_args_list] == [self.june.pk]

    def test_saves_in_a_row_join_once_in_the_last_job(self) -> None:
        first = ahead_jobs.latest_turn(self.june.pk)
        second = ahead_jobs.latest_turn(self.june.pk)
        assert not ahead_jobs.is_latest_turn(self.june.pk, first)
        assert ahead_jobs.is_latest_turn(self.june.pk, second)
        assert ahead_jobs.is_latest_turn(self.june.pk, "")  # queued without a turn
        paper = Paper.objects.get(pk=self.strategy.pk)
        with mock.patch("reports.services.join_ahead") as join:
            from reports.publishing import render_paper_job

            render_paper_job.call(paper.pk, first)
            join.assert_not_called()
            render_paper_job.call(paper.pk, second)
            join.assert_called_once()

    def test_a_join_ahead_that_fails_is_logged_and_the_job_still_succeeds(self) -> None:
        from reports.publishing import render_paper_job

        paper = Paper.objects.get(pk=self.strategy.pk)
        with (
            mock.patch("reports.services.join_ahead", side_effect=RuntimeError("stopped")),
            self.assertLogs("reports.ahead_jobs", "WARNING") as logs,
        ):
            assert render_paper_job.call(paper.pk, "") >= 0
        assert "Could not join meeting" in logs.output[0]

    def test_a_published_meeting_is_not_joined_ahead(self) -> None:
        self.publish()
        with mock.patch("reports.services._render") as render:
            assert ahead_jobs.render_meeting_ahead_job.call(self.june.pk) == 0
        render.assert_not_called()


def test_a_document_written_before_is_kept_by_its_html() -> None:
    """A standalone document (render_pdf) with the same HTML and metadata is not written
    again: the cache holds it (the actions-arising report joined ahead, a draft asked twice)."""
    from reports.documents.render import Metadata, render_pdf

    metadata = Metadata(title="Kept", author="Tests", subject="A document written once")
    with with_part_cache():
        caches[PARTS].clear()
        calls: list[object] = []

        def counting(job: object) -> tuple[bytes, int]:
            calls.append(job)
            return write_document(job)  # type: ignore[arg-type]

        with mock.patch("reports.documents.render.write_document", counting):
            first = render_pdf("reports/pdf/blank.html", {"number": 1}, metadata)
            again = render_pdf("reports/pdf/blank.html", {"number": 1}, metadata)
            other = render_pdf("reports/pdf/blank.html", {"number": 2}, metadata)
        assert len(calls) == 2
        assert again.pdf == first.pdf and again.pages == first.pages
        assert other.pdf != first.pdf


@with_part_cache(DOCUMENTS_RENDER_AHEAD=True)
class PublicationFromTheCacheTests(JuneDocuments):
    """The publication job first publishes from the cache alone; when something is missing
    it rolls that back, renders the missing parts without the lock, and publishes."""

    URL = "/manage/prg/meetings/2019-06-12/publish/"

    def setUp(self) -> None:
        caches[PARTS].clear()
        self.client.force_login(self.secretary)

    def publish_by_job(self) -> list[str]:
        from meetings.services.publication import agenda_checks
        from reports import publishing

        states: list[str] = []
        real = publishing._set

        def spy(pk: int, **fields: object) -> None:
            if "state" in fields:
                states.append(str(fields["state"]))
            real(pk, **fields)

        reasons = {c.key: "Test." for c in agenda_checks(self.june) if not c.passed}
        with mock.patch("reports.publishing._set", spy), run_jobs():
            self.client.post(self.URL, reasons)
        return states

    def test_joined_ahead_the_job_stores_them_without_rendering_before_the_lock(self) -> None:
        join_ahead(self.draft())
        with mock.patch("reports.publishing.render_ahead") as before_lock:
            states = self.publish_by_job()
        before_lock.assert_not_called()
        assert states == ["freezing", "done"]
        assert Meeting.objects.get(pk=self.june.pk).agenda_is_public

    def test_with_a_part_missing_it_renders_it_before_the_lock_then_publishes(self) -> None:
        join_ahead(self.draft())
        paper = Paper.objects.get(pk=self.strategy.pk)
        paper.title = "Strategy, changed after joining"
        paper.save()
        states = self.publish_by_job()
        assert states == ["freezing", "rendering", "freezing", "done"]
        pack = self.stored()[("pack", None, "")]
        assert "Strategy, changed after joining" in read_pdf(pack.file.read()).all_text()
        # The attempt from the cache stored nothing: one version of each document.
        assert {d.version for d in StoredDocument.objects.filter(meeting=self.june)} == {1}


def test_a_joined_documents_key_changes_with_everything_it_is_joined_from() -> None:
    """Not with when it was joined: the same pieces, metadata and numbers give the same key;
    any of them changed gives a new one (a stale joined document is never found)."""
    from dataclasses import replace

    from reports.documents.assemble import Assembly, Piece
    from reports.documents.parts import joined_key
    from reports.documents.render import Metadata

    metadata = Metadata(title="Pack", author="Board", subject="Agenda pack")
    job = Assembly((Piece(b"%PDF-a"), Piece(b"%PDF-b")), metadata)
    changed = [
        replace(job, metadata=replace(metadata, title="Pack, corrected")),
        replace(job, metadata=replace(metadata, keywords=("board",))),
        replace(job, pieces=(Piece(b"%PDF-a"), Piece(b"%PDF-c"))),
        replace(job, pieces=(Piece(b"%PDF-b"), Piece(b"%PDF-a"))),
        replace(job, pieces=(Piece(b"%PDF-a"), Piece(b"%PDF-b", numbered=False))),
        replace(job, pieces=(Piece(b"%PDF-a"), Piece(b"%PDF-b", anchors=False))),
        replace(job, pieces=(Piece(b"%PDF-a"),)),
        replace(job, numbers=b"%PDF-numbers"),
    ]
    keys = {joined_key(other) for other in changed}
    assert len(keys) == len(changed) and joined_key(job) not in keys
    same = Assembly((Piece(b"%PDF-a"), Piece(b"%PDF-b")), replace(metadata))
    assert joined_key(same) == joined_key(job)
