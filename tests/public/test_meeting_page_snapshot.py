"""The public meeting page of a published meeting reads its facts from the snapshot frozen with
the agenda and the minutes, so that the page and those versions' PDFs never disagree: records
changed behind the lock's back (QuerySet.update sends no signal) do not reach it."""

from __future__ import annotations

import datetime as dt
import html
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.models import AgendaItem, Attendance, Meeting, MinuteParagraph
from meetings.services.corrections import correct_meeting_details
from members.models import Person
from reports.models import Paper, StoredDocument
from reports.services import freeze_documents
from tests.lifecycle.test_published_record_lock import MARCH, PublishedRecordTests, content
from tests.pdfs import read_pdf
from vru_governance import page_cache

Kind = StoredDocument.Kind
TAMPERED = "TAMPERED"


def flat(text: str) -> str:
    return " ".join(html.unescape(text).split())


class MeetingPageSnapshotTests(PublishedRecordTests):
    """6 March 2019, agenda and minutes frozen (the partners' agenda too)."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        freeze_documents(cls.march, [Kind.PARTNERS_AGENDA])

    def page(self, partner: bool = False) -> str:
        page_cache.invalidate()  # the records changed without a signal: no stale cache
        self.client.logout()
        if partner:
            self.client.force_login(self.partner)
        response = self.client.get(MARCH)
        self.assertEqual(response.status_code, 200)
        # A signed-in page carries a fresh CSRF token (the sign-out form) each time.
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())

    def tamper(self) -> None:
        """Change what the documents show, bypassing the lock's guard (no save, no signal)."""
        Meeting.objects.filter(pk=self.march.pk).update(
            place=f"{TAMPERED} place", start_time=dt.time(7, 7), end_time=dt.time(8, 8)
        )
        AgendaItem.objects.filter(meeting=self.march).update(
            title=f"{TAMPERED} title", presenter=f"{TAMPERED} presenter", outcome="noted"
        )
        MinuteParagraph.objects.filter(item__meeting=self.march).update(text=f"{TAMPERED} text")
        Paper.objects.filter(item__meeting=self.march).update(title=f"{TAMPERED} paper")
        Person.objects.filter(attendances__meeting=self.march).update(name=f"{TAMPERED} person")
        Attendance.objects.filter(meeting=self.march, capacity="member").update(
            capacity="in_attendance"
        )

    def test_the_public_page_is_unchanged_when_live_records_change_behind_the_lock(self) -> None:
        before = self.page()
        self.tamper()
        self.assertTrue(Meeting.objects.filter(place=f"{TAMPERED} place").exists())
        after = self.page()
        self.assertNotIn(TAMPERED, after)
        self.assertEqual(after, before)

    def test_the_partners_page_reads_the_partners_agenda_snapshot_too(self) -> None:
        before = self.page(partner=True)
        self.tamper()
        after = self.page(partner=True)
        self.assertNotIn(TAMPERED, after)
        self.assertEqual(after, before)

    def test_the_page_shows_what_the_frozen_agenda_and_minutes_print(self) -> None:
        self.tamper()
        page = self.page()
        self.client.logout()
        agenda = flat(read_pdf(content(self.client.get(MARCH + "agenda.pdf"))).all_text())
        minutes = flat(read_pdf(content(self.client.get(MARCH + "minutes.pdf"))).all_text())
        self.assertNotIn(TAMPERED, agenda + minutes)
        titles = re.findall(r'class="item-number">([^<]+)</span> ([^<]+)</h3>', page)
        self.assertGreater(len(titles), 5)
        for number, title in titles:
            self.assertIn(flat(title), agenda, number)
            self.assertIn(flat(title), minutes, number)
        place = re.search(r"<dt[^>]*>Place</dt><dd[^>]*>([^<]+)</dd>", page).group(1)
        self.assertIn(flat(place), agenda)
        self.assertIn(flat(place), minutes)
        self.assertIn("6 March 2019", agenda)
        self.assertIn("Wednesday 6 March 2019", page)
        present = re.search(r'id="attended".*?<ul class="people">(.*?)</ul>', page, re.S)
        lines = [flat(re.sub(r"<[^>]+>", "", li)) for li in present.group(1).split("</li>")]
        people = [line.split(" (")[0] for line in lines if line]
        self.assertGreater(len(people), 5)
        for person in people:
            self.assertIn(person, minutes)

    def test_a_frozen_meeting_page_reads_no_item_or_paper_rows(self) -> None:
        page_cache.invalidate()
        with CaptureQueriesContext(connection) as queries:
            self.client.get(MARCH)
        tables = " ".join(q["sql"] for q in queries.captured_queries)
        self.assertNotIn('FROM "meetings_agendaitem"', tables)
        self.assertNotIn('FROM "meetings_minuteparagraph"', tables)
        self.assertNotIn('FROM "meetings_attendance"', tables)

    def test_a_correction_is_what_changes_the_page(self) -> None:
        correct_meeting_details(
            self.march,
            date=self.march.date,
            start_time=self.march.start_time,
            end_time=self.march.end_time,
            place="City Hall, Committee Room 5",
            reason="The room was changed on the day.",
            user=self.secretary,
        )
        page = self.page()
        self.assertIn("City Hall, Committee Room 5", page)
        agenda = flat(read_pdf(content(self.client.get(MARCH + "agenda.pdf"))).all_text())
        self.assertIn("City Hall, Committee Room 5", agenda)
