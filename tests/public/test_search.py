"""Search over published agendas, public papers and published minutes (PostgreSQL or SQLite)."""

from __future__ import annotations

from django.test import TestCase

from meetings.lock_scope import recording_history
from meetings.models import MinuteParagraph
from tests.public.search_page import results_area, without_query_echoes
from tests.public_world import (
    CIRCULATED_MINUTES,
    NEVER_PUBLIC,
    SECRET_DRAFT_AGENDA,
    SECRET_DRAFT_MINUTES,
    SECRET_EXEMPT,
    SECRET_EXEMPT_TITLE,
    WorldMixin,
    add_item,
    add_paper,
)
from vru_governance.public.search import highlighted, search


class SearchTests(WorldMixin, TestCase):
    def results(self, query: str, **filters: object) -> list:
        return search(query, **filters)

    def test_a_public_paper_is_found_by_a_word_of_its_text(self) -> None:
        found = self.results("exclusions")
        assert any(r.kind == "Minutes" for r in found) or any(r.kind == "Paper" for r in found)
        page = self.page("/search/?q=delivery+model")
        assert "VRU Delivery Model and Programme Development" in page
        assert "/prg/meetings/2019-05-01/papers/vru-delivery-model.pdf" in page

    def test_agenda_items_are_found_by_title_and_link_to_the_item(self) -> None:
        found = self.results("knife crime strategy")
        item = next(r for r in found if r.kind == "Agenda item")
        assert item.title == "Item 4: Knife crime strategy"
        assert item.url.endswith(f"/prg/meetings/{self.world.upcoming.key}/#item-4")

    def test_published_minutes_are_found_and_link_to_the_minutes_page(self) -> None:
        found = self.results("Ofsted")
        minutes = [r for r in found if r.kind == "Minutes"]
        assert minutes
        assert all("/prg/meetings/2019-03-06/minutes/" in r.url for r in minutes)

    def test_snippets_highlight_the_words_found(self) -> None:
        page = self.page("/search/?q=Ofsted")
        assert "<mark>Ofsted</mark>" in page

    @recording_history()
    def test_a_title_match_ranks_above_a_passing_mention(self) -> None:
        item = add_item(self.world.published, "14", "Unrelated business")
        add_paper(item, "mention", "Quarterly figures", "A passing mention of zebras.")
        add_paper(item, "about", "Zebras crossing policy", "Zebras, zebras and zebras.")
        titles = [r.title for r in self.results("zebras") if r.kind == "Paper"]
        assert titles[0] == "Zebras crossing policy"
        assert "Quarterly figures" in titles

    @recording_history()
    def test_results_are_filtered_by_body_and_year(self) -> None:
        item = add_item(self.world.upcoming_b, "4", "Giraffe governance")
        assert self.results("giraffe", body=self.world.body_b)
        assert not self.results("giraffe", body=self.world.body_a)
        assert self.results("Ofsted", year=2019)
        assert not self.results("Ofsted", year=2020)
        assert item.title in self.page("/search/?q=giraffe&body=other")
        assert "0 results" in self.page("/search/?q=giraffe&body=prg")

    def test_nothing_unpublished_is_ever_found(self) -> None:
        for secret in NEVER_PUBLIC:
            assert self.results(secret) == [], secret
        for word in ("secret", "exempt", "text", "minutes", "draft", "approved", "circulated"):
            shown = " ".join(f"{r.title} {r.snippet} {r.url}" for r in self.results(word))
            assert not [s for s in NEVER_PUBLIC if s in shown], word
            assert "mopac-briefing" not in shown

    def test_the_search_page_never_shows_unpublished_text_even_to_partners(self) -> None:
        for reader in (None, self.world.partner_a, self.world.secretary_a):
            self.client.logout()
            if reader:
                self.client.force_login(reader)
            for secret in (
                SECRET_EXEMPT,
                SECRET_DRAFT_AGENDA,
                SECRET_DRAFT_MINUTES,
                CIRCULATED_MINUTES,
                SECRET_EXEMPT_TITLE,
            ):
                response = self.client.get("/search/", {"q": secret})
                body = response.content.decode()
                assert "0 results" in body
                assert results_area(body) == ""
                # The query itself is echoed (title, box, heading, sign-in link) and is no leak;
                # the secret must appear nowhere else on the page.
                assert secret in body
                assert secret not in without_query_echoes(body)

    def test_an_exempt_item_title_is_searchable_but_its_paper_is_not(self) -> None:
        found = self.results("MOPAC Update")
        assert any(r.kind == "Agenda item" and "MOPAC Update" in r.title for r in found)
        assert not any(SECRET_EXEMPT_TITLE in r.title for r in found)

    @recording_history()
    def test_text_typed_into_records_is_escaped_in_snippets(self) -> None:
        item = add_item(self.world.published, "15", "Escaping")
        add_paper(item, "escape", "Escape test", 'Okapi <script>alert("x")</script> & co.')
        page = self.page("/search/?q=okapi")
        assert "<script>alert" not in page
        assert "alert(&quot;x&quot;)" in page and "&amp; co." in page

    @recording_history()
    def test_results_are_paginated(self) -> None:
        item = add_item(self.world.published, "16", "Many")
        for i in range(25):
            MinuteParagraph.objects.create(item=item, text="placeholder")
            add_paper(item, f"wombat-{i}", f"Wombat report {i}", "Wombats.")
        first = self.page("/search/?q=wombat")
        assert "25 results" in first and "Page 1 of 2" in first
        second = self.page("/search/?q=wombat&page=2")
        assert second.count("Wombat report") == 5

    def test_an_empty_search_shows_the_form_only(self) -> None:
        page = self.page("/search/")
        assert 'name="q"' in page and "results for" not in page

    def test_odd_queries_do_not_fail(self) -> None:
        for query in ['"unbalanced', "-", "a & b | !c", "::", "(", "'"]:
            assert self.client.get("/search/", {"q": query}).status_code == 200

    def test_search_matches_word_forms(self) -> None:
        assert any(r.kind == "Minutes" for r in self.results("exclude"))  # "excluded"


def test_highlighting_escapes_before_marking() -> None:
    import re

    html = highlighted("<b>bold</b> & bold", re.compile("bold"))
    assert html == "&lt;b&gt;<mark>bold</mark>&lt;/b&gt; &amp; <mark>bold</mark>"
