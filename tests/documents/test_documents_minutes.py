"""Summary minutes (6 March 2019) and the actions-arising report (1 May 2019), read back."""

from __future__ import annotations

import datetime as dt
import re

from django.test import TestCase

from actions.models import Action, ActionOwner, ActionUpdate
from meetings.lock_scope import recording_history
from meetings.models import Attendance, Declaration, Dissent, Meeting, MinuteParagraph
from meetings.models import paragraph_numbers as numbers_of
from members.models import Person
from reports.documents.actions_arising import render_actions_arising
from reports.documents.minutes import render_minutes
from tests.demo import load_demo
from tests.pdfs import read_pdf
from tests.world import CastMixin

HOSTILE_TITLE = "Any other business <b>the Chair</b> & considers urgent"


class MinutesAndActionsArisingTests(CastMixin, TestCase):
    """Each PDF is rendered once for the class; the tests read what it says."""

    @classmethod
    @recording_history()
    def setUpTestData(cls) -> None:
        load_demo()
        march = Meeting.objects.select_related("body").get(body__slug="prg", key="2019-03-06")
        body = march.body
        cls.cast_on_the_records()  # Amy Gelsthorpe-Hill is the body's secretary
        items = {i.number: i for i in march.items.all()}
        people = {p.key: p for p in Person.objects.all()}

        # The police member leaves after item 11: item 12 is not quorate.
        Attendance.objects.filter(meeting=march, person=people["mark-simmons"]).update(
            to_item=items["11"]
        )
        Declaration.objects.create(
            item=items["4"],
            person=people["jake-ferguson"],
            interest="Chief Executive of an organisation named in the report",
            withdrew=True,
        )
        Dissent.objects.create(
            item=items["4"],
            person=people["carolyn-downs"],
            text="Asked that her objection to **the data request** be recorded."
            "<script>alert('dissent')</script>",
        )
        items["11"].title = HOSTILE_TITLE
        items["11"].save()
        MinuteParagraph.objects.create(
            item=items["11"],
            position=5,
            text="<img src=x onerror=alert(1)>Partners noted [the site](javascript:alert(2)) "
            "& <em>nothing</em> else.",
        )

        # The action log: one closed before the previous meeting, one open and not yet due.
        january = Meeting.objects.get(body=body, key="2019-01-22")
        archived = Action.objects.create(
            meeting=january,
            item=january.items.get(number="6"),
            key="archived",
            position=5,
            description="ARCHIVED-ACTION closed before the March meeting.",
            deadline=dt.date(2019, 2, 1),
            status="complete",
        )
        ActionOwner.objects.create(action=archived, role="Clerk")
        ActionUpdate.objects.create(action=archived, date=dt.date(2019, 2, 10), status="complete")
        pending = Action.objects.create(
            meeting=march,
            item=items["9"],
            key="pending",
            position=5,
            description="Circulate <b>notes</b> & slides of the roundtable.",
            deadline=dt.date(2019, 6, 30),
            status="open",
        )
        ActionOwner.objects.create(action=pending, role="Clerk")

        march.refresh_from_db()
        cls.minutes = read_pdf(render_minutes(march).pdf)
        may = Meeting.objects.select_related("body").get(body=body, key="2019-05-01")
        cls.report = read_pdf(render_actions_arising(may).pdf)

        ordered = list(march.items.order_by("position", "pk"))
        paragraphs = {i.pk: list(i.paragraphs.order_by("position", "pk")) for i in ordered}
        numbers = numbers_of(ordered, paragraphs)
        cls.expected = [(numbers[p.pk], p.text) for item in ordered for p in paragraphs[item.pk]]

    def text(self) -> str:
        return self.minutes.all_text()

    # Minutes -------------------------------------------------------------------------------

    def test_minutes_open_with_the_seed_heading_and_the_meeting(self) -> None:
        first = self.minutes.flat(0)
        self.assertIn("SUMMARY MINUTES", first)
        self.assertIn("Meeting: Violence Reduction Unit Partnership Reference Group", first)
        self.assertIn("Date: Wednesday 6 March 2019", first)
        self.assertIn("Time: 2pm to 3:55pm (close)", first)
        self.assertIn(
            "Place: Committee Room 1, City Hall, The Queen's Walk, London, SE1 2AA", first
        )

    def test_minutes_list_present_in_attendance_and_apologies_as_the_seed_does(self) -> None:
        text = self.text()
        self.assertIn("Present: Partners: Sadiq Khan, Mayor of London (as Chair)", text)
        self.assertIn(
            "Vicky Hobart, Head of Health, GLA (attending on behalf of Professor Yvonne Doyle)",
            text,
        )
        self.assertIn(
            "Mark Simmons, Assistant Commissioner, Metropolitan Police Service (until item 11)",
            text,
        )
        self.assertIn("In attendance Lynne Abrams, Head of VRU", text)
        self.assertIn("Apologies Gabriel Amahwe, Director of Probation, London CRC", text)
        order = [text.find(s) for s in ("Present:", "In attendance", "Apologies Gabriel", "1 Apol")]
        self.assertEqual(order, sorted(order))

    def test_minute_paragraphs_are_numbered_as_in_the_records_and_in_order(self) -> None:
        printed = re.findall(r"^(\d+\.\d+) ", "\n".join(self.minutes.pages), re.MULTILINE)
        self.assertEqual(printed, [number for number, _ in self.expected])
        self.assertEqual(printed[:6], ["1.1", "1.2", "1.3", "1.4", "1.5", "2.1"])
        text = self.text()
        # Sub-items run on from their main item: 8 → 8.1, 8a → 8.2, 8b → 8.3, 8c → 8.4.
        self.assertIn("8a Delivery Model (Item 8a) 8.2 The Head of VRU provided", text)
        self.assertIn("8b Commissioning Principles and Priorities (Item 8b) 8.3", text)
        for number, source in self.expected:
            if "<" in source:
                continue  # the hostile paragraph: see the escaping test
            self.assertIn(f"{number} {' '.join(source.split())[:40]}", text)

    def test_action_lines_are_set_apart_after_their_paragraph(self) -> None:
        text = self.text()
        clerk = text.find("Action: Clerk")
        # After 1.4, where the seed prints it, not at the end of item 1.
        self.assertLess(text.find("1.4 The Mayor shared"), clerk)
        self.assertLess(clerk, text.find("1.5 The Mayor read out"))
        joint = text.find("Action: Lib Peck and Jake Ferguson")
        self.assertLess(text.find("3.2 Lib Peck and Jake Ferguson"), joint)
        self.assertLess(joint, text.find("4 Violence in Numbers (Item 4)"))
        self.assertEqual(text.count("Action: "), 7)

    def test_an_inquorate_item_carries_a_note_and_only_that_item(self) -> None:
        text = self.text()
        notes = re.findall(r"The meeting was not quorate for this item: (.*?)\.", text)
        self.assertEqual(len(notes), 1)
        self.assertRegex(
            notes[0],
            r"^\d+ present, 12 needed, (and|but) no one present for Assistant Commissioner "
            r"for Frontline Policing, MPS$",
        )
        self.assertLess(text.find("12 Close (Item 12)"), text.find("not quorate"))

    def test_declarations_and_dissent_print_under_their_item(self) -> None:
        text = self.text()
        self.assertIn(
            "Jake Ferguson declared an interest: Chief Executive of an organisation named in "
            "the report They withdrew for this item.",
            text,
        )
        self.assertIn(
            "Dissent recorded by Carolyn Downs: Asked that her objection to the data request "
            "be recorded.",
            text,
        )
        self.assertLess(text.find("4.2 Partners discussed"), text.find("Dissent recorded"))
        self.assertLess(text.find("Dissent recorded"), text.find("5 Understanding School"))

    def test_typed_text_is_escaped_or_sanitised_as_in_html(self) -> None:
        text = self.text()
        self.assertIn(f"11 {HOSTILE_TITLE} (Item 11)", text)
        # Typed HTML is printed as the text it is (issue 17: nothing after it may be lost);
        # a PDF runs none of it.
        self.assertIn(
            "11.2 <img src=x onerror=alert(1)>Partners noted the site & <em>nothing</em> else.",
            text,
        )
        self.assertNotIn("javascript", text)

    def test_minutes_end_with_the_contact_officer(self) -> None:
        last = self.minutes.flat(len(self.minutes.pages) - 1)
        self.assertIn("Contact Officer: Amy Gelsthorpe-Hill, Board Secretary", last)

    def test_minutes_pdf_has_metadata_bookmarks_and_numbered_pages(self) -> None:
        self.assertEqual(
            self.minutes.metadata["/Title"],
            "Summary minutes: Violence Reduction Unit Partnership Reference Group, "
            "Wednesday 6 March 2019",
        )
        self.assertEqual(self.minutes.lang, "en-GB")
        self.assertTrue(self.minutes.tagged)
        self.assertTrue(self.minutes.embedded)
        top = [b.title for b in self.minutes.bookmarks if b.level == 1]
        self.assertEqual(top, ["Summary minutes, Wednesday 6 March 2019"])
        items = [b.title for b in self.minutes.bookmarks if b.level == 2]
        self.assertIn("8a Delivery Model (Item 8a)", items)
        pages = [self.minutes.printed_number(i) for i in range(len(self.minutes.pages))]
        self.assertEqual(pages, list(range(1, len(pages) + 1)))

    # Actions arising ---------------------------------------------------------------------

    def test_actions_arising_groups_by_meeting_newest_first(self) -> None:
        text = self.report.all_text()
        march = text.find("3 Actions Arising from the Meeting of 6 March 2019")
        january = text.find("4 Actions Arising from the Meeting of 22 January 2019")
        self.assertGreaterEqual(march, 0)
        self.assertLess(march, january)
        self.assertIn("Date of meeting: 1 May 2019", text)
        self.assertIn("Title of report: Actions Arising from Previous Meetings", text)

    def test_actions_arising_has_the_seed_columns_and_rows(self) -> None:
        text = self.report.all_text()
        self.assertIn("Agenda Item Action Deadline Status Owner", text)
        self.assertIn(
            "1. Apologies for Absence and Chair's Announcements The Mayor to send a letter of "
            "thanks to the Scottish VRU for its continued involvement and support. 31 March "
            "2019 Complete: The letter has been sent. Clerk",
            text,
        )
        self.assertIn("Ongoing Complete: To be considered at Item 9", text)
        self.assertIn("VRU Mobilisation Lead, MOPAC", text)
        self.assertIn("Circulate <b>notes</b> & slides of the roundtable.", text)

    def test_actions_closed_before_the_previous_meeting_are_left_out(self) -> None:
        self.assertNotIn("ARCHIVED-ACTION", self.report.all_text())

    def test_overdue_actions_are_marked(self) -> None:
        text = self.report.all_text()
        self.assertEqual(text.count("OVERDUE"), 1)
        self.assertIn(
            "3. Actions Arising To discuss the possibility of a future paper on "
            "systematic challenges outside the meeting. OVERDUE 31 March 2019",
            text,
        )
        self.assertIn("1 action is overdue at 1 May 2019", text)
