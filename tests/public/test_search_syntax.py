"""The same search on both databases: phrases, -word, OR, word forms, an uploaded paper's text,
and never an exempt paper's text for the public. Every test here runs on SQLite (FTS5) and on
PostgreSQL (stored tsvector documents) with the same expectations."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import TestCase, TransactionTestCase
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from meetings.models import AgendaItem, Meeting, MinuteParagraph
from members.models import Body
from reports import search_index
from reports.models import Paper
from reports.papers import save_paper
from tests.demo import demo_document
from tests.public.search_page import results_area, without_query_echoes
from tests.public_world import add_item, add_meeting, add_paper
from vru_governance.public.search import parse, search
from vru_governance.records.importer import import_records

SECRET = "Wombatinformant"  # in the exempt paper's PDF only


def text_pdf(*lines: str) -> bytes:
    """A one-page PDF whose text is the lines given (Helvetica, no embedded font)."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    helvetica = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): helvetica})}
    )
    shown = "".join(
        f"BT /F1 11 Tf 72 {760 - 16 * n} Td ({line}) Tj ET\n" for n, line in enumerate(lines)
    )
    stream = DecodedStreamObject()
    stream.set_data(shown.encode("latin-1"))
    page.replace_contents(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def uploaded(item: object, title: str, *lines: str, exempt: bool = False) -> Paper:
    """A paper uploaded as a PDF through the workspace's service."""
    paper = Paper(item=item, title=title)
    if exempt:
        paper.classification = Paper.Classification.EXEMPT
        paper.exemption_section = "s.43"
        paper.exemption_reason = "Names of informants."
        paper.exemption_review_on = dt.date(2030, 1, 1)
    pdf = SimpleUploadedFile("upload.pdf", text_pdf(*lines), content_type="application/pdf")
    return save_paper(paper, upload=pdf)


class SearchSyntaxTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        body = Body.objects.create(slug="syntax", name="Syntax Board")
        # Built as a draft (nothing is locked), then published as a whole.
        meeting = add_meeting(body, dt.date(2024, 3, 6), Meeting.Status.DRAFT)
        strategy = add_item(meeting, "1", "Knife crime strategy")
        add_item(meeting, "2", "Youth services budget")
        figures = add_item(meeting, "3", "Quarterly figures")
        add_paper(
            figures,
            "exclusions",
            "School attendance review",
            "Pupils excluded from school were more often victims of violence.",
        )
        MinuteParagraph.objects.create(
            item=strategy, text="The board discussed knife crime in Lambeth."
        )
        MinuteParagraph.objects.create(
            item=figures, text="Crime figures for knife offences fell in Hackney."
        )
        cls.survey = uploaded(figures, "Survey results", "Quokka habitat survey in Croydon.")
        cls.exempt = uploaded(
            figures, "Informants", f"{SECRET} names, not for publication.", exempt=True
        )
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.MINUTES_PUBLISHED)

    def titles(self, query: str) -> set[str]:
        return {r.title for r in search(query)}

    def test_all_the_words_must_appear_in_a_record(self) -> None:
        assert self.titles("knife crime") == {
            "Item 1: Knife crime strategy",
            "Minutes, item 1: Knife crime strategy",
            "Minutes, item 3: Quarterly figures",
        }

    def test_a_phrase_in_quotes_must_appear_as_typed(self) -> None:
        assert self.titles('"knife crime"') == {
            "Item 1: Knife crime strategy",
            "Minutes, item 1: Knife crime strategy",
        }

    def test_a_word_with_a_minus_leaves_out_the_records_that_contain_it(self) -> None:
        assert self.titles("knife -lambeth") == {
            "Item 1: Knife crime strategy",
            "Minutes, item 3: Quarterly figures",
        }
        assert self.titles('knife -"knife crime"') == {"Minutes, item 3: Quarterly figures"}

    def test_or_finds_records_with_either_word(self) -> None:
        assert self.titles("budget OR quokka") == {
            "Item 2: Youth services budget",
            "Survey results",
        }
        # AND binds tighter than OR, as in PostgreSQL's websearch syntax.
        assert self.titles("youth budget or hackney") == {
            "Item 2: Youth services budget",
            "Minutes, item 3: Quarterly figures",
        }

    def test_words_are_found_in_any_form(self) -> None:
        assert self.titles("exclude") == {"School attendance review"}  # "excluded"
        assert self.titles("strategies") == {"Item 1: Knife crime strategy"}
        assert self.titles("victim") == {"School attendance review"}  # "victims"

    def test_an_uploaded_papers_text_is_found_with_its_words_highlighted(self) -> None:
        found = search("croydon quokkas")
        assert [r.title for r in found] == ["Survey results"]
        assert found[0].url.endswith(f"/papers/{self.survey.key}.pdf")
        assert "<mark>Quokka</mark> habitat survey in <mark>Croydon</mark>" in found[0].snippet

    def test_an_exempt_papers_uploaded_text_is_never_found_by_anyone(self) -> None:
        assert Paper.objects.get(pk=self.exempt.pk).file_text.startswith(SECRET)
        assert search(SECRET) == []
        assert search(f"{SECRET} OR quokka")[0].title == "Survey results"
        page = self.client.get("/search/", {"q": f"{SECRET} OR names"}).content.decode()
        # The query echoed back (title, box, heading, sign-in link) is no leak; nothing else
        # on the page, least of all the results, may carry the exempt paper's text.
        assert SECRET not in results_area(page)
        assert SECRET not in without_query_echoes(page)
        assert "Informants" not in page

    def test_a_single_letter_matches_only_itself_and_common_words_alone_find_nothing(
        self,
    ) -> None:
        assert search("b") == []  # not every record with a "b" inside a word
        assert search("a") == search("the") == search("or") == []
        page = self.client.get("/search/", {"q": "the"}).content.decode()
        assert "0 results" in page and "Common words" in page

    def test_only_words_to_leave_out_finds_nothing_and_says_why(self) -> None:
        assert search("-knife") == []
        page = self.client.get("/search/", {"q": "-knife"}).content.decode()
        assert "Add a word to look for" in page

    def test_hostile_queries_get_results_or_nothing_never_an_error(self) -> None:
        queries = [
            '"',
            '"knife',
            "knife AND",
            "NEAR(knife crime)",
            "title:knife",
            "{title presenter}: knife",
            "^knife",
            "knife*",
            "knife + crime",
            "(knife",
            "knife) OR (",
            "-",
            "- -",
            "OR OR",
            "'; DROP TABLE meetings_meeting; --",
            "knife\u200bcrime",
            "💥 knife",
            "a" * 200,
        ]
        for query in queries:
            response = self.client.get("/search/", {"q": query})
            assert response.status_code == 200, query
        assert self.titles('"knife') == self.titles("knife")
        assert self.titles("title:knife") == set()  # "title" is a word here, not a column
        assert "Item 1: Knife crime strategy" in self.titles("knife*")

    def test_every_write_path_keeps_the_index_current(self) -> None:
        # An update by query and a delete in plain SQL: no signals, no model save.
        Paper.objects.filter(key="exclusions").update(title="Numbat census")
        assert self.titles("numbat") == {"Numbat census"}
        assert self.titles("attendance") == set()
        paragraph = MinuteParagraph.objects.get(text__contains="Hackney")
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM meetings_minuteparagraph WHERE id = %s", [paragraph.pk])
        assert self.titles("hackney") == set()

    def test_a_new_upload_replaces_the_text_searched(self) -> None:
        meeting = Meeting.objects.get(key="2024-03-06")
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.DRAFT)
        paper = Paper.objects.get(pk=self.survey.pk)
        pdf = SimpleUploadedFile("new.pdf", text_pdf("Echidna sightings in Barnet."))
        save_paper(paper, upload=pdf, version=paper.version)
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.MINUTES_PUBLISHED)
        assert self.titles("echidna") == {"Survey results"}
        assert self.titles("quokka") == set()


class PaperTextTests(TestCase):
    """The text is taken once, when a file is stored, on every path that stores one."""

    @classmethod
    def setUpTestData(cls) -> None:
        body = Body.objects.create(slug="texts", name="Texts Board")
        meeting = add_meeting(body, dt.date(2024, 5, 1), Meeting.Status.DRAFT)
        cls.item = add_item(meeting, "1", "Papers")

    def test_a_file_assigned_and_saved_as_the_admin_does_gives_its_text(self) -> None:
        paper = Paper(item=self.item, key="admin", title="Admin upload")
        paper.file = SimpleUploadedFile("admin.pdf", text_pdf("Platypus sightings."))
        paper.save()
        assert Paper.objects.get(pk=paper.pk).file_text == "Platypus sightings."

    def test_a_paper_imported_with_its_pdf_is_found_by_its_text(self) -> None:
        """Into an empty database: the importer inserts the new papers in bulk."""
        with tempfile.TemporaryDirectory() as folder:
            Path(folder, "delivery.pdf").write_bytes(text_pdf("Axolotl programme costs."))
            document = demo_document()
            meeting = next(m for m in document["bodies"][0]["meetings"] if m["key"] == "2019-05-01")
            paper = next(p for i in meeting["items"] for p in i.get("papers", []))
            paper.pop("sections")
            paper["file"] = "delivery.pdf"
            paper["file_has_equality_comments"] = True
            import_records(document, base_dir=Path(folder))
        stored = Paper.objects.get(item__meeting__key="2019-05-01", key=paper["key"])
        assert stored.file_text == "Axolotl programme costs."
        assert [r.title for r in search("axolotl")] == [stored.title]
        stored.file.delete(save=False)

    def test_a_file_taken_away_takes_its_text_away(self) -> None:
        paper = uploaded(self.item, "Removed", "Dugong counts.")
        assert paper.file_text == "Dugong counts."
        paper.file.delete()
        assert Paper.objects.get(pk=paper.pk).file_text == ""

    def test_an_unreadable_file_is_stored_with_no_text(self) -> None:
        paper = Paper(item=self.item, key="broken", title="Broken")
        paper.file = SimpleUploadedFile("broken.pdf", b"%PDF-1.7 not really a PDF")
        paper.save()
        assert Paper.objects.get(pk=paper.pk).file_text == ""

    def test_an_edit_that_keeps_the_file_does_not_read_it_again(self) -> None:
        paper = uploaded(self.item, "Kept", "Kiwi numbers.")
        paper.file.storage.delete(paper.file.name)  # reading it now would give no text
        paper = Paper.objects.get(pk=paper.pk)
        paper.title = "Kept, retitled"
        paper.save()
        assert Paper.objects.get(pk=paper.pk).file_text == "Kiwi numbers."


class QueryReadingTests(TestCase):
    def test_the_query_means_the_same_for_both_engines(self) -> None:
        query = parse('knife "knife crime" -lambeth or hackney the')
        assert query.websearch() == 'knife "knife crime" -lambeth or hackney'
        assert query.fts5() == ('(("knife" AND "knife crime") NOT ("lambeth")) OR (("hackney"))')

    def test_nothing_typed_ever_reaches_fts5_unquoted(self) -> None:
        query = parse('NEAR(a b) title:x "c*" {d}: e^ f"g')
        assert query.fts5() == (
            '(("near a" AND "b" AND "title x" AND "c" AND "d" AND "e" AND "fg"))'
        )


def test_search_runs_on_the_engine_of_the_database() -> None:
    from vru_governance.public.search import _engine
    from vru_governance.public.search.fts5 import Fts5Search
    from vru_governance.public.search.postgres import PostgresSearch

    expected = PostgresSearch if connection.vendor == "postgresql" else Fts5Search
    assert isinstance(_engine(parse("knife")), expected)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 index is SQLite's")
class SqliteIndexTests(TestCase):
    def test_the_migrations_build_the_index_the_search_reads(self) -> None:
        assert search_index.ensure(connection) == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 index is SQLite's")
class SqliteIndexRepairTests(TransactionTestCase):
    """Committed, not rolled back: rolling back a savepoint over FTS5 tables dropped and made
    again can leave the connection's next SAVEPOINT failing ("constraint failed") for
    whichever test comes next in the same process."""

    def test_an_index_whose_triggers_a_table_rebuild_dropped_is_repaired(self) -> None:
        body = Body.objects.create(slug="rebuilt", name="Rebuilt Board")
        meeting = add_meeting(body, dt.date(2024, 7, 1), Meeting.Status.DRAFT)
        item = add_item(meeting, "1", "Okapi welfare")
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.AGENDA_PUBLISHED)
        with connection.cursor() as cursor:
            # What Django's rebuild of a SQLite table (to alter a column) leaves behind.
            cursor.execute("DROP TRIGGER meetings_agendaitem_fts_update")
        AgendaItem.objects.filter(pk=item.pk).update(title="Tapir welfare")
        assert search("tapir") == []  # the index fell behind
        assert search_index.ensure(connection) == ["meetings_agendaitem_fts"]
        assert [r.title for r in search("tapir")] == ["Item 1: Tapir welfare"]
        assert search("okapi") == []
        assert search_index.ensure(connection) == []
