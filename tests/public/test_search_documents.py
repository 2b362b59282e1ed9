"""Search ranks from documents PostgreSQL stores with each row, and loads only the results a
page shows, with their snippets; the board and year filters come from one query."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from meetings.lock_scope import recording_history
from meetings.models import AgendaItem, MinuteParagraph
from members.models import Body
from reports.models import SECTION_KEYS, Paper
from tests.public_world import WorldMixin, add_item, add_meeting, add_paper
from vru_governance.public.search import filters, ranked, results, search
from vru_governance.public.search.postgres import StoredDocument

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="stored search documents are PostgreSQL's"
)


def words(n: int) -> str:
    """n different words of nine letters and digits: n=120,000 is over a megabyte of them."""
    return " ".join(f"w{i:07d}x" for i in range(n))


def vector(*weighted: tuple[str, str]) -> SearchVector:
    """The weighted document as the search computed it on the fly before it was stored."""
    vectors = [SearchVector(name, weight=w, config="english") for name, w in weighted]
    combined = vectors[0]
    for v in vectors[1:]:
        combined = combined + v
    return combined


class StoredDocumentTests(WorldMixin, TestCase):
    @on_postgres
    def test_each_row_stores_the_weighted_document_the_search_used_to_compute(self) -> None:
        paper_parts = [("title", "A"), ("executive_summary", "B"), ("recommendations", "B")]
        paper_parts += [
            (k, "C") for k in SECTION_KEYS if k not in ("executive_summary", "recommendations")
        ]
        cases = [
            (AgendaItem, vector(("title", "A"), ("presenter", "B"))),
            (Paper, vector(*paper_parts)),
            (MinuteParagraph, vector(("text", "B"))),
        ]
        for model, computed in cases:
            rows = list(
                model.objects.annotate(stored=StoredDocument(), computed=computed).values_list(
                    "stored", "computed"
                )
            )
            assert rows, model
            assert [stored for stored, _ in rows] == [computed for _, computed in rows], model

    @recording_history()
    def test_a_saved_change_is_searchable_at_once(self) -> None:
        item = add_item(self.world.published, "18", "Quokka census")
        assert any(r.title == "Item 18: Quokka census" for r in search("quokka"))
        item.title = "Numbat census"
        item.save()
        assert not search("quokka")
        assert any(r.title == "Item 18: Numbat census" for r in search("numbat"))

    @on_postgres
    @recording_history()
    def test_a_paragraph_of_over_a_megabyte_of_words_is_saved_and_found_by_its_start(self) -> None:
        item = add_item(self.world.minutes_published, "19", "A very long paragraph")
        text = "Aardvarks were discussed at length. " + words(120_000)
        paragraph = MinuteParagraph.objects.create(item=item, text=text)
        found = [r for r in search("aardvarks") if r.kind == "Minutes"]
        assert [r.title for r in found] == ["Minutes, item 19: A very long paragraph"]
        assert "<mark>Aardvarks</mark>" in found[0].snippet
        assert MinuteParagraph.objects.get(pk=paragraph.pk).text == text

    @on_postgres
    @recording_history()
    def test_a_paper_section_of_over_a_megabyte_of_words_is_saved_and_found(self) -> None:
        item = add_item(self.world.published, "20", "Appendices")
        paper = add_paper(item, "long", "Long appendix", "Pangolins in the summary.")
        paper.appendices = words(120_000)
        paper.save()
        assert [r.title for r in search("pangolins") if r.kind == "Paper"] == ["Long appendix"]


class ShownResultsTests(WorldMixin, TestCase):
    def test_only_the_results_asked_for_are_built_and_they_are_the_full_searchs(self) -> None:
        hits = ranked("Ofsted")
        assert len(hits) >= 2
        with CaptureQueriesContext(connection) as ctx:
            shown = results("Ofsted", hits[:1])
        # The meetings and the snippets of the shown hits, on both databases.
        assert len(ctx.captured_queries) == 2
        everything = search("Ofsted")
        assert [(r.title, r.url, str(r.snippet)) for r in shown] == [
            (r.title, r.url, str(r.snippet)) for r in everything[:1]
        ]
        assert "<mark>Ofsted</mark>" in everything[0].snippet

    @recording_history()
    def test_a_result_deleted_after_it_was_ranked_is_left_out(self) -> None:
        item = add_item(self.world.published, "21", "Wombat welfare")
        hits = ranked("wombat")
        assert [h.title for h in hits] == ["Item 21: Wombat welfare"]
        item.delete()
        assert results("wombat", hits) == []

    @recording_history()
    def test_a_paper_made_exempt_after_it_was_ranked_gives_no_snippet_and_is_left_out(
        self,
    ) -> None:
        """The snippets are read after the ranking: what was public then must still be, or a
        fragment of an exempt paper's text could be shown."""
        item = add_item(self.world.published, "23", "Numbats")
        paper = add_paper(item, "numbat", "Numbat paper", "Numbat habitats and funding.")
        hits = [h for h in ranked("numbat") if h.kind == "paper"]
        assert [h.title for h in hits] == ["Numbat paper"]
        Paper.objects.filter(pk=paper.pk).update(
            classification=Paper.Classification.EXEMPT,
            executive_summary="Numbat informant names, not for publication.",
        )
        assert results("numbat", hits) == []

    @recording_history()
    def test_the_search_page_counts_every_match_and_shows_a_page_of_them(self) -> None:
        item = add_item(self.world.minutes_published, "22", "Echidnas")
        for i in range(23):
            add_paper(item, f"echidna-{i}", f"Echidna report {i}", "Echidnas everywhere.")
        page = self.page("/search/?q=echidna&page=2")
        assert "24 results" in page  # 23 papers and the item
        assert page.count("<mark>Echidna") == 4


class FilterTests(WorldMixin, TestCase):
    def test_every_board_is_listed_with_the_years_of_its_published_meetings_only(self) -> None:
        add_meeting(self.world.body_b, dt.date(2031, 5, 1), "draft")
        add_meeting(self.world.body_b, dt.date(2030, 5, 1), "agenda_published")
        empty = Body.objects.create(slug="empty", name="A board with no meetings")
        with CaptureQueriesContext(connection) as ctx:
            choices = filters()
        assert len(ctx.captured_queries) == 1
        assert [b.slug for b in choices.bodies] == [
            b.slug for b in Body.objects.order_by("name", "pk")
        ]
        assert choices.years(empty) == []
        assert 2030 in choices.years(self.world.body_b)
        assert 2031 not in choices.years(self.world.body_b)
        assert 2030 not in choices.years(self.world.body_a)
        assert choices.years() == sorted(
            set(choices.years(self.world.body_a)) | set(choices.years(self.world.body_b)),
            reverse=True,
        )
        assert 2019 in choices.years(self.world.body_a)


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_a_committed_import_leaves_fresh_planner_statistics() -> None:
    """Without them PostgreSQL plans searches of a freshly imported decade as if its tables
    were empty (vru_governance/records/importer.refresh_planner_statistics)."""
    from tests.demo import load_demo

    def last_analyze() -> object:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'meetings_agendaitem'"
            )
            return cursor.fetchone()[0]

    before = last_analyze()
    load_demo()
    after = last_analyze()
    assert after is not None and after != before
