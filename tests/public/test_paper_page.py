"""Papers written by section have an accessible HTML page (their PDF in addition), read from
the snapshot frozen with the paper's copy: the page and the PDF never disagree. Exempt papers
have none for the public; uploaded papers have none at all."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.models import Paper, StoredDocument
from tests.documents.test_frozen_papers import JUNE, PaperWorld
from tests.pdfs import read_pdf
from vru_governance import page_cache


class PaperPageTests(PaperWorld):
    """June 2019 of the demo, published: authored and uploaded papers, public and exempt."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.publish()

    def page(self, key: str, user: object = None) -> str:
        page_cache.invalidate()
        response = self.get(f"{JUNE}papers/{key}/", user)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def copy(self, paper: Paper, audience: str) -> StoredDocument:
        return StoredDocument.objects.filter(kind="paper", paper=paper, audience=audience).get()

    def test_an_authored_paper_has_a_public_page_with_the_sites_menu_and_its_pdf(self) -> None:
        page = self.page("strategy")
        self.assertIn('<h1 id="paper-title">Strategy</h1>', page)
        self.assertIn("PUBLIC-WORDS", page)
        self.assertIn("Equality Comments", page)
        self.assertIn('href="../strategy.pdf"', page)
        self.assertIn(">Meetings</a>", page)  # the site's menu
        frozen = self.copy(self.strategy, "public")
        self.assertIn("PUBLIC-WORDS", frozen.html)
        self.assertIn(frozen.html, page)

    def test_the_page_is_the_frozen_snapshot_not_the_live_record(self) -> None:
        before = self.page("strategy")
        # Behind the lock's back: an update sends no signal, so no guard sees it.
        Paper.objects.filter(pk=self.strategy.pk).update(
            title="TAMPERED title", executive_summary="1.1 TAMPERED words."
        )
        after = self.page("strategy")
        self.assertEqual(after, before)
        self.assertNotIn("TAMPERED", after)
        pdf = read_pdf(b"".join(self.get(JUNE + "papers/strategy.pdf").streaming_content))
        self.assertIn("PUBLIC-WORDS", pdf.all_text())
        self.assertNotIn("TAMPERED", pdf.all_text())

    def test_an_exempt_paper_has_no_public_page_but_partners_read_theirs(self) -> None:
        page_cache.invalidate()
        self.assertEqual(self.get(JUNE + "papers/data-sharing/").status_code, 404)
        response = self.get(JUNE + "papers/data-sharing/", self.partner)
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        self.assertIn("WALRUS-SECRET", page)
        self.assertIn("Not for publication", page)
        self.assertIn("s.43", page)
        self.assertIn("private", response["Cache-Control"])
        frozen = self.copy(self.secret, "partners").html
        self.assertIn("WALRUS-SECRET", frozen)
        self.assertIn(frozen, page)

    def test_an_uploaded_paper_has_no_page_its_pdf_is_the_paper(self) -> None:
        for user in (None, self.partner, self.secretary):
            page_cache.invalidate()
            self.assertEqual(self.get(JUNE + "papers/slides/", user).status_code, 404)
            self.assertEqual(self.get(JUNE + "papers/contract/", user).status_code, 404)

    def test_the_meeting_page_links_each_authored_paper_it_shows_next_to_its_pdf(self) -> None:
        page_cache.invalidate()
        public = self.get(JUNE).content.decode()
        self.assertIn('href="/prg/meetings/2019-06-12/papers/strategy/"', public)
        self.assertIn('href="/prg/meetings/2019-06-12/papers/strategy.pdf"', public)
        self.assertNotIn("papers/slides/", public)
        self.assertNotIn("data-sharing", public)
        partners = self.get(JUNE, self.partner).content.decode()
        self.assertIn('href="/prg/meetings/2019-06-12/papers/data-sharing/"', partners)

    def test_the_partners_dashboard_links_each_authored_papers_page_exempt_ones_too(self) -> None:
        page = self.get("/partners/", self.partner).content.decode()
        self.assertIn('href="/prg/meetings/2019-06-12/papers/strategy/"', page)
        self.assertIn('href="/prg/meetings/2019-06-12/papers/data-sharing/"', page)
        self.assertNotIn('href="/prg/meetings/2019-06-12/papers/slides/"', page)

    def test_the_page_runs_a_fixed_number_of_queries(self) -> None:
        page_cache.invalidate()
        self.client.logout()
        with CaptureQueriesContext(connection) as queries:
            self.client.get(JUNE + "papers/strategy/")
        # The meeting, the paper, its frozen copy.
        self.assertEqual(len(queries.captured_queries), 3)


class DraftPaperPageTests(PaperWorld):
    def test_a_draft_agendas_paper_is_the_secretarys_marked_draft_and_nobody_elses(self) -> None:
        response = self.get(JUNE + "papers/strategy/", self.secretary)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Draft paper", response.content.decode())
        self.assertIn("private", response["Cache-Control"])
        self.assertEqual(self.get(JUNE + "papers/strategy/").status_code, 404)
