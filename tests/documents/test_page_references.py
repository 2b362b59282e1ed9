"""Each audience's agenda gives the page references of its own pack: the public agenda those of
the public pack, the partners' agenda those of the partners' pack (exempt papers included).

A generated meeting puts an exempt paper first, then two public papers, so that the two packs
number the public papers differently; its documents are frozen as on publication and read back
with pypdf, as a reader downloads them.
"""

from __future__ import annotations

import datetime as dt
import re

from django.test import TestCase

from meetings.models import Meeting
from reports.models import StoredDocument
from reports.services import AGENDA_KINDS, freeze_documents
from tests.demo import load_demo
from tests.pdfs import ReadPdf, TemporaryMedia, read_pdf
from tests.public_world import add_item, add_meeting, add_paper
from tests.world import build_cast

# "2 Trends (Pages 3 - 4)": the item's number, its title (no digits here) and the pages.
REFERENCE = re.compile(r"\b(\d+[a-z]?) (\D+?) \(Pages (\d+) - (\d+)\)")
EXEMPT = "Knife Crime Data Sharing Agreement"
FIRST_PUBLIC = "Youth Violence Trends"
SECOND_PUBLIC = "Hospital Navigators"
WITHHELD = "not for publication"
Kind = StoredDocument.Kind
DRAFT, PUBLISHED = Meeting.Status.DRAFT, Meeting.Status.AGENDA_PUBLISHED


def references(agenda: ReadPdf) -> dict[str, tuple[int, int]]:
    """Item number → (first, last) printed page, from an agenda's text."""
    text = agenda.all_text()
    return {m[0]: (int(m[2]), int(m[3])) for m in REFERENCE.findall(text)}


def page_printed(pack: ReadPdf, number: int) -> str:
    """The text of the pack's page that prints "Page <number>"."""
    for index in range(len(pack.pages)):
        if pack.printed_number(index) == number:
            return pack.flat(index)
    raise AssertionError(f"no page of the pack prints Page {number}")


class PageReferencesPerAudienceTests(TemporaryMedia, TestCase):
    """A published meeting: item 1 an exempt paper, items 2 and 3 public papers."""

    @classmethod
    def setUpTestData(cls) -> None:
        load_demo()
        cls.cast = build_cast()
        cls.meeting = add_meeting(cls.cast.body, dt.date(2019, 7, 24), DRAFT)
        # Long enough to take several pages: the public pack's one-page notice is shorter.
        long_text = " ".join(["1.1 The data sharing terms, clause by clause."] * 400)
        add_paper(add_item(cls.meeting, "1", "Data Sharing"), "data", EXEMPT, long_text, True)
        add_paper(add_item(cls.meeting, "2", "Trends"), "trends", FIRST_PUBLIC, "1.1 Trends.")
        add_paper(add_item(cls.meeting, "3", "Navigators"), "nav", SECOND_PUBLIC, "1.1 A&E.")
        # Published once its papers are in (a published agenda takes none without a correction).
        Meeting.objects.filter(pk=cls.meeting.pk).update(status=PUBLISHED)
        cls.meeting.refresh_from_db()
        freeze_documents(cls.meeting, AGENDA_KINDS)
        stored = {d.kind: d for d in StoredDocument.objects.filter(meeting=cls.meeting, paper=None)}

        def read(kind: str) -> ReadPdf:
            with stored[kind].file.open("rb") as handle:
                return read_pdf(handle.read())

        cls.agenda = read(Kind.AGENDA)
        cls.pack = read(Kind.PACK)
        cls.partners_agenda = read(Kind.PARTNERS_AGENDA)
        cls.partners_pack = read(Kind.PARTNERS_PACK)

    def test_the_two_packs_number_the_public_papers_differently(self) -> None:
        public, partners = references(self.agenda), references(self.partners_agenda)
        assert set(public) == set(partners) == {"1", "2", "3"}
        assert public["2"] != partners["2"]
        assert partners["2"][0] > partners["1"][1]

    def test_every_reference_of_the_public_agenda_points_at_its_paper_in_the_public_pack(
        self,
    ) -> None:
        found = references(self.agenda)
        assert WITHHELD in page_printed(self.pack, found["1"][0])
        assert EXEMPT not in self.pack.all_text()
        assert FIRST_PUBLIC in page_printed(self.pack, found["2"][0])
        assert SECOND_PUBLIC in page_printed(self.pack, found["3"][0])

    def test_every_reference_of_the_partners_agenda_points_at_its_paper_in_the_partners_pack(
        self,
    ) -> None:
        found = references(self.partners_agenda)
        assert EXEMPT in page_printed(self.partners_pack, found["1"][0])
        assert FIRST_PUBLIC in page_printed(self.partners_pack, found["2"][0])
        assert SECOND_PUBLIC in page_printed(self.partners_pack, found["3"][0])

    def test_each_agenda_alone_repeats_the_references_of_the_agenda_in_its_pack(self) -> None:
        assert references(self.agenda) == references(self.pack)
        assert references(self.partners_agenda) == references(self.partners_pack)

    def test_the_partners_agenda_is_titled_as_theirs_and_says_it_holds_exempt_reports(
        self,
    ) -> None:
        assert self.partners_agenda.metadata["/Title"].startswith("Partners' agenda:")
        assert "includes reports that are exempt" in self.partners_agenda.flat(0)
        assert "exempt" not in self.agenda.flat(0).lower()

    def test_the_partners_agenda_is_served_to_partners_only(self) -> None:
        url = f"/{self.meeting.body.slug}/meetings/{self.meeting.key}/partners-agenda.pdf"
        assert self.client.get(url).status_code == 404
        self.client.force_login(self.cast.outsider)
        assert self.client.get(url).status_code == 403
        self.client.force_login(self.cast.partner)
        response = self.client.get(url)
        assert response.status_code == 200
        served = read_pdf(b"".join(response.streaming_content))
        assert references(served) == references(self.partners_agenda)
