"""The agenda pack of 1 May 2019, read back with pypdf: items, page references, padding, exempt."""

from __future__ import annotations

import re

from django.core.files.base import ContentFile
from django.test import TestCase

from meetings.models import Meeting
from reports.documents.pack import Audience, build_pack
from reports.models import Paper
from tests.demo import add_exempt_paper, load_demo
from tests.pdfs import BLANK, ReadPdf, TemporaryMedia, read_pdf

SECRET = "ZEBRA-SECRET-7731"
EXEMPT_TITLE = "Knife Crime Data Sharing Agreement"
MARKING = "EXEMPT — NOT FOR PUBLICATION"
REFERENCE = re.compile(r"\(Pages (\d+) - (\d+)\)")


def uploaded_pdf() -> bytes:
    """Three US Letter pages, as a partner organisation might send them."""
    from weasyprint import HTML

    pages = "".join(
        f'<p style="{"break-before: page" if n > 1 else ""}">UPLOADED-MOPAC-PAGE {n}</p>'
        for n in (1, 2, 3)
    )
    style = "<style>@page { size: letter; margin: 30mm }</style>"
    return HTML(string=f"<html><head>{style}</head><body>{pages}</body></html>").write_pdf()


def part_ranges(pdf: ReadPdf) -> dict[str, tuple[int, int]]:
    """Item number → (first, last) page index of its part, from the bookmarks."""
    starts = [(b.title, b.page) for b in pdf.bookmarks if b.level == 1 and b.title != "Agenda"]
    ranges = {}
    for index, (title, first) in enumerate(starts):
        last = starts[index + 1][1] - 1 if index + 1 < len(starts) else len(pdf.pages) - 1
        number = re.match(r"Item (\w+):", title).group(1)
        ranges[number] = (first, last)
    return ranges


class AgendaPackTests(TemporaryMedia, TestCase):
    """One public and one partners' pack of 1 May 2019 (plus an exempt and an uploaded paper)."""

    @classmethod
    def setUpTestData(cls) -> None:
        load_demo()
        meeting = Meeting.objects.select_related("body").get(body__slug="prg", key="2019-05-01")
        add_exempt_paper(meeting, title=EXEMPT_TITLE, secret=SECRET)
        upload = Paper(
            item=meeting.items.get(number="5"),
            key="mopac-update",
            title="MOPAC Update slides",
            classification=Paper.Classification.PUBLIC,
            file_has_equality_comments=True,
            final=True,
        )
        upload.file.save("upload.pdf", ContentFile(uploaded_pdf()), save=False)
        upload.full_clean()
        upload.save()

        # The two longest papers are cut short: 20 fewer pages to lay out, twice, per run.
        Paper.objects.filter(key__in=["vru-delivery-model", "community-youth-engagement"]).update(
            introduction="3.1 Shortened for the test.", issues="", appendices=""
        )

        public = build_pack(meeting, Audience.PUBLIC)
        partners = build_pack(meeting, Audience.PARTNERS)
        cls.public = read_pdf(public.pack.pdf)
        cls.public_agenda = read_pdf(public.agenda.pdf)
        cls.partners = read_pdf(partners.pack.pdf)
        cls.partners_agenda = read_pdf(partners.agenda.pdf)
        cls.offset = public.pack.extra["agenda_pages"]
        cls.partners_offset = partners.pack.extra["agenda_pages"]
        cls.titles = {i.number: i.title for i in meeting.items.all()}

    def agenda_text(self, pdf: ReadPdf, offset: int) -> str:
        return " ".join(pdf.flat(i) for i in range(offset))

    # The agenda ------------------------------------------------------------------------

    def test_agenda_lists_every_item_in_order_with_its_number(self) -> None:
        text = self.agenda_text(self.public, self.offset)
        positions = []
        for number, title in self.titles.items():
            found = text.find(f" {number} {title}")
            self.assertGreaterEqual(found, 0, f"item {number} {title} missing from the agenda")
            positions.append(found)
        self.assertEqual(positions, sorted(positions))
        self.assertEqual(len(positions), 13)

    def test_agenda_prints_presenters_and_the_date_of_the_next_meeting(self) -> None:
        text = self.agenda_text(self.public, self.offset)
        self.assertIn("8 VRU Delivery Model and Programme Development", text)
        self.assertIn(
            "A report to be presented by Lib Peck, Director of Violence Reduction Unit.", text
        )
        self.assertIn(
            "A report to be presented by Debbie Weekes-Bernard, Deputy Mayor for Social "
            "Integration, Social Mobility and Community Engagement.",
            text,
        )
        # The seed's own wording, chosen per item (items 5, 6 and 7 of the 1 May agenda).
        self.assertIn(
            "An update to be provided by Sophie Linden, Deputy Mayor for Policing and Crime.",
            text,
        )
        self.assertIn(
            "A PowerPoint to be presented by Paul Dawson, Head of Evidence and Insight at MOPAC.",
            text,
        )
        self.assertIn(
            "A report and PowerPoint to be presented by Sam Cunningham, Director of Policy "
            "and Commissioning at MOPAC.",
            text,
        )
        self.assertIn(
            "The next meeting will be held on Wednesday 12 June 2019 at 2pm, at City Hall.",
            text,
        )

    def test_agenda_cover_names_the_meeting_and_the_partners_with_their_roles(self) -> None:
        cover = self.public.flat(0)
        self.assertIn("AGENDA", cover)
        self.assertIn("Violence Reduction Unit Partnership Reference Group", cover)
        self.assertIn("Date Wednesday 1 May 2019", cover)
        self.assertIn("Time 2pm", cover)
        self.assertIn("Place Committee Room 2, City Hall, The Queen's Walk, London, SE1 2AA", cover)
        self.assertIn("Sadiq Khan, Mayor of London (as Chair)", cover)
        self.assertIn("Sophie Linden, Deputy Mayor for Policing and Crime (Deputy Chair)", cover)
        self.assertIn("Jas Athwal, Executive Member for Crime and Public Protection", cover)
        # The chair and deputy chair first, then partners by family name.
        self.assertLess(cover.find("Sadiq Khan"), cover.find("Sophie Linden"))
        self.assertLess(cover.find("Gabriel Amahwe"), cover.find("Kilvinder Vigurs"))

    # Page references and numbering -------------------------------------------------------

    def assert_references_match_the_pack(self, pdf: ReadPdf, offset: int) -> None:
        text = self.agenda_text(pdf, offset)
        ranges = part_ranges(pdf)
        self.assertTrue(ranges)
        for number, (first, last) in ranges.items():
            start, end = pdf.printed_number(first), pdf.printed_number(last)
            self.assertIsNotNone(start)
            expected = f"{number} {self.titles[number]} (Pages {start} - {end})"
            self.assertIn(expected, text)
        printed = [tuple(map(int, m)) for m in REFERENCE.findall(text)]
        self.assertEqual(len(printed), len(ranges))

    def test_page_references_are_where_each_part_really_starts_and_ends(self) -> None:
        self.assert_references_match_the_pack(self.public, self.offset)
        self.assert_references_match_the_pack(self.partners, self.partners_offset)

    def test_minutes_of_the_last_meeting_start_on_page_1_after_the_agenda(self) -> None:
        first, _ = part_ranges(self.public)["3"]
        self.assertEqual(first, self.offset)
        self.assertEqual(self.public.printed_number(first), 1)
        self.assertIn("SUMMARY MINUTES", self.public.flat(first))
        self.assertIn("Wednesday 6 March 2019", self.public.flat(first))

    def test_the_agenda_alone_carries_the_same_page_references_as_the_pack(self) -> None:
        pack = REFERENCE.findall(self.agenda_text(self.public, self.offset))
        alone = REFERENCE.findall(" ".join(self.public_agenda.flat(i) for i in range(2)))
        self.assertEqual(pack, alone)
        self.assertIsNone(self.public_agenda.printed_number(0))

    def test_the_partners_agenda_alone_carries_the_page_references_of_the_partners_pack(
        self,
    ) -> None:
        # The exempt paper (item 6) comes before the public papers of items 7 to 10 (a
        # generated meeting where the two numberings differ: test_page_references.py).
        pack = REFERENCE.findall(self.agenda_text(self.partners, self.partners_offset))
        alone = REFERENCE.findall(self.partners_agenda.all_text())
        self.assertEqual(pack, alone)
        self.assertTrue(self.partners_agenda.metadata["/Title"].startswith("Partners' agenda"))

    def test_pages_after_the_agenda_are_numbered_continuously(self) -> None:
        for pdf, offset in ((self.public, self.offset), (self.partners, self.partners_offset)):
            for index in range(offset):
                self.assertIsNone(pdf.printed_number(index))
            numbers = [pdf.printed_number(i) for i in range(offset, len(pdf.pages))]
            self.assertEqual(numbers, list(range(1, len(pdf.pages) - offset + 1)))

    def test_every_part_has_an_even_number_of_pages_padded_with_a_blank_page(self) -> None:
        self.assertEqual(self.offset % 2, 0)
        blanks = 0
        for first, last in part_ranges(self.public).values():
            self.assertEqual((last - first + 1) % 2, 0)
            self.assertEqual(self.public.printed_number(first) % 2, 1, "starts on a right page")
            for index in range(first, last + 1):
                if BLANK in self.public.pages[index]:
                    blanks += 1
                    self.assertEqual(index, last, "only the last page of a part is left blank")
                    leftover = self.public.flat(index).replace(BLANK, "")
                    self.assertRegex(leftover.strip(), r"^Page \d+$")
        self.assertGreater(blanks, 0)
        self.assertEqual(len(self.public.pages) % 2, 0)

    # Exempt papers ---------------------------------------------------------------------------

    def test_public_pack_leaves_the_exempt_paper_out_and_says_where(self) -> None:
        text = self.public.all_text()
        self.assertNotIn(SECRET, text)
        self.assertNotIn(EXEMPT_TITLE, text)
        self.assertNotIn("Commercially sensitive", text)
        first, _ = part_ranges(self.public)["6"]
        notice = self.public.flat(first)
        self.assertIn("Item 6: Violence in Numbers", notice)
        self.assertIn("not for publication", notice)
        self.assertIn("(s.43)", notice)
        self.assertIn("not for publication", self.agenda_text(self.public, self.offset))

    def test_partners_pack_includes_the_exempt_paper_marked_on_every_page(self) -> None:
        first, last = part_ranges(self.partners)["6"]
        text = " ".join(self.partners.flat(i) for i in range(first, last + 1))
        self.assertIn(SECRET, text)
        self.assertIn("Commercially sensitive terms still under negotiation.", text)
        self.assertIn("Exemption to be reviewed on: 1 May 2020", text)
        content_pages = [i for i in range(first, last + 1) if BLANK not in self.partners.pages[i]]
        for index in content_pages:
            self.assertIn(MARKING, self.partners.flat(index))
        others = [i for i in range(len(self.partners.pages)) if not first <= i <= last]
        self.assertFalse(any(MARKING in self.partners.pages[i] for i in others))
        self.assertIn(EXEMPT_TITLE, self.agenda_text(self.partners, self.partners_offset))

    # Uploaded PDFs, metadata, bookmarks --------------------------------------------------------

    def test_uploaded_pdf_is_merged_in_item_order_under_numbered_footers(self) -> None:
        first, last = part_ranges(self.public)["5"]
        self.assertEqual(last - first + 1, 4)  # three pages and the blank that pads them
        for n in (1, 2, 3):
            page = self.public.flat(first + n - 1)
            self.assertIn(f"UPLOADED-MOPAC-PAGE {n}", page)
            self.assertEqual(self.public.printed_number(first + n - 1), first + n - self.offset)
        self.assertIn(BLANK, self.public.pages[last])
        minutes_first, _ = part_ranges(self.public)["3"]
        self.assertLess(minutes_first, first)

    def test_pdf_carries_metadata_language_tags_and_embedded_system_fonts(self) -> None:
        meta = self.public.metadata
        self.assertEqual(
            meta["/Title"],
            "Agenda pack: Violence Reduction Unit Partnership Reference Group, "
            "Wednesday 1 May 2019",
        )
        self.assertEqual(meta["/Author"], "Violence Reduction Unit Partnership Reference Group")
        self.assertIn("Wednesday 1 May 2019", meta["/Subject"])
        self.assertEqual(self.public.lang, "en-GB")
        self.assertTrue(self.public.tagged)
        self.assertTrue(self.public.embedded)
        self.assertTrue(self.public.fonts)
        self.assertTrue(all("DejaVu" in font for font in self.public.fonts), self.public.fonts)
        self.assertTrue(self.partners.metadata["/Title"].startswith("Partners' agenda pack"))

    def test_pdf_has_a_bookmark_for_the_agenda_and_each_part(self) -> None:
        top = [b.title for b in self.public.bookmarks if b.level == 1]
        self.assertEqual(top[0], "Agenda")
        self.assertEqual(
            [t.split(":")[0] for t in top[1:]],
            ["Item 3", "Item 4", "Item 5", "Item 6", "Item 7", "Item 8", "Item 9", "Item 10"],
        )
        self.assertIn("Item 3: Minutes of the meeting of 6 March 2019", top)
        self.assertTrue(any(b.level == 2 for b in self.public.bookmarks))
