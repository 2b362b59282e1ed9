"""How the ranking query keeps to what the public may see before it keeps the best of each kind,
and what it costs: one query for the ranking, four for the search page, however much matches."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from meetings.lock_scope import recording_history
from meetings.models import MinuteParagraph
from members.models import Body
from tests.public_world import WorldMixin, add_item, add_meeting, add_paper
from vru_governance import page_cache
from vru_governance.public.search import filters, fts5, postgres, ranked

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the ranking query's plan is PostgreSQL's"
)


class RankingTests(WorldMixin, TestCase):
    @recording_history()
    def test_the_best_public_match_of_each_kind_is_kept_when_hidden_ones_rank_higher(
        self,
    ) -> None:
        """Each kind keeps its best PER_KIND matches: what the public may not see is left out
        before they are chosen, or it would push the public ones out of the results."""
        hidden_item = add_item(self.world.draft, "31", "Quoll quoll quoll")
        add_paper(hidden_item, "quoll-draft", "Quoll quoll", "Quoll quoll quoll.")
        add_paper(
            add_item(self.world.published, "32", "Marsupials"),
            "quoll-exempt",
            "Quoll quoll quoll",
            "Quoll quoll quoll.",
            exempt=True,
        )
        MinuteParagraph.objects.create(
            item=add_item(self.world.held, "33", "Marsupials"), text="Quoll quoll quoll quoll."
        )
        public_item = add_item(self.world.minutes_published, "34", "Quoll survey")
        add_paper(public_item, "quoll-notes", "Quoll notes", "A quoll was seen.")
        MinuteParagraph.objects.create(item=public_item, text="The quoll survey was noted.")

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(postgres, "PER_KIND", 1)
            patch.setattr(fts5, "PER_KIND", 1)
            hits = ranked("quoll")

        assert sorted((h.kind, h.title) for h in hits) == [
            ("item", "Item 34: Quoll survey"),
            ("minutes", "Minutes, item 34: Quoll survey"),
            ("paper", "Quoll notes"),
        ]

    @recording_history()
    def test_the_results_are_in_order_of_rank_then_newest_meeting_first(self) -> None:
        older = add_meeting(self.world.body_a, dt.date(2018, 2, 1), "minutes_published")
        add_item(older, "3", "Bandicoot census")
        add_item(self.world.minutes_published, "35", "Bandicoot census")
        add_item(self.world.minutes_published, "36", "Bandicoot census bandicoot habitats")
        titles = [(h.title, h.date) for h in ranked("bandicoot")]
        assert titles == [
            ("Item 36: Bandicoot census bandicoot habitats", dt.date(2019, 3, 6)),
            ("Item 35: Bandicoot census", dt.date(2019, 3, 6)),
            ("Item 3: Bandicoot census", dt.date(2018, 2, 1)),
        ]

    @recording_history()
    def test_the_search_page_makes_four_queries_however_many_records_match(self) -> None:
        for meeting in (self.world.published, self.world.minutes_published):
            for i in range(12):
                item = add_item(meeting, str(40 + i), f"Wallaby crossing {i}")
                add_paper(item, f"wallaby-{i}", f"Wallaby paper {i}", "Wallabies.")
                MinuteParagraph.objects.create(item=item, text=f"Wallaby {i} noted.")
        self.page("/search/?q=wallaby")  # the page's first rendering loads its templates
        with CaptureQueriesContext(connection) as ctx:
            page = self.page("/search/?q=wallaby")
        assert "60 results" in page  # 24 items, 24 papers, 12 items' minutes
        # The boards and years, the ranking, the shown results' meetings and their snippets.
        assert len(ctx.captured_queries) == 4


@override_settings(PUBLIC_PAGE_CACHE_SECONDS=600)
class CachedFiltersTests(WorldMixin, TestCase):
    def test_the_boards_and_years_are_read_once_until_a_record_changes(self) -> None:
        page_cache.invalidate()
        with CaptureQueriesContext(connection) as ctx:
            first = filters()
            again = filters()
        assert len(ctx.captured_queries) == 1
        assert [b.slug for b in again.bodies] == [b.slug for b in first.bodies]
        assert again.years_of == first.years_of
        add_meeting(self.world.body_b, dt.date(2032, 5, 1), "agenda_published")
        assert 2032 not in filters().years(self.world.body_b)  # until the change is committed
        page_cache.invalidate()  # as the commit does (page_cache._on_record_change)
        assert 2032 in filters().years(self.world.body_b)

    def test_with_pages_not_cached_the_boards_and_years_are_read_each_time(self) -> None:
        with override_settings(PUBLIC_PAGE_CACHE_SECONDS=0):
            filters()
            add_meeting(self.world.body_b, dt.date(2033, 5, 1), "agenda_published")
            with CaptureQueriesContext(connection) as ctx:
                assert 2033 in filters().years(self.world.body_b)
        assert len(ctx.captured_queries) == 1


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_ranking_outside_a_transaction_finds_the_same_and_leaves_the_planner_as_it_was() -> None:
    """Outside a transaction the ranking query is sent with its planner setting, which lasts
    only for that query; inside one (as in the other tests) it is sent without."""
    body = Body.objects.create(slug="rank", name="Ranking board")
    with recording_history():
        meeting = add_meeting(body, dt.date(2020, 1, 8), "minutes_published")
        for i in range(5):
            item = add_item(meeting, str(i + 1), f"Potoroo {'potoroo ' * i}")
            add_paper(item, f"potoroo-{i}", f"Potoroo paper {i}", "Potoroos " * (i + 1))
            MinuteParagraph.objects.create(item=item, text="A potoroo. " * (5 - i))

    def setting() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW random_page_cost")
            return cursor.fetchone()[0]

    before = setting()
    with CaptureQueriesContext(connection) as ctx:
        outside = ranked("potoroo")
    assert not connection.in_atomic_block
    assert len(ctx.captured_queries) == 1
    assert ctx.captured_queries[0]["sql"].startswith("SET LOCAL random_page_cost")
    assert setting() == before
    with transaction.atomic():
        inside = ranked("potoroo")
    assert [(h.kind, h.pk, h.rank) for h in outside] == [(h.kind, h.pk, h.rank) for h in inside]
    assert len(outside) == 15


@on_postgres
@pytest.mark.django_db
def test_a_papers_search_document_is_kept_in_its_row() -> None:
    """Read from the TOAST table, the documents cost most of the ranking of papers
    (reports/migrations/0018)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute "
            "WHERE attrelid = 'reports_paper'::regclass AND attname = 'search_document'"
        )
        assert cursor.fetchone()[0] == "m"
