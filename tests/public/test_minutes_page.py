"""The accessible HTML minutes page: content, escaping, drafts for partners, versions, queries."""

from __future__ import annotations

import re

from django.core.files.base import ContentFile
from django.test import TestCase

from actions.models import Action, ActionOwner
from meetings.lock_scope import recording_history
from meetings.models import AgendaItem, Attendance, Meeting, MinuteParagraph
from members.models import Person
from reports.models import StoredDocument
from tests.demo import load_demo
from tests.pdfs import TemporaryMedia
from tests.world import CastMixin

MARCH = "/prg/meetings/2019-03-06/minutes/"
MAY = "/prg/meetings/2019-05-01/minutes/"


class MinutesPageTests(CastMixin, TemporaryMedia, TestCase):
    @classmethod
    @recording_history()
    def setUpTestData(cls) -> None:
        load_demo()
        cls.march = Meeting.objects.get(key="2019-03-06")
        cls.cast_on_the_records()
        item = cls.march.items.get(number="11")
        MinuteParagraph.objects.create(
            item=item,
            position=9,
            text="Partners noted <script>alert('x')</script>**the risk** "
            "[a link](javascript:alert(1)) and [the report](https://example.org/report).",
        )
        item.title = "Any other <b>business</b>"
        item.save()

    def test_the_public_reads_published_minutes_with_numbered_paragraphs(self) -> None:
        response = self.client.get(MARCH)
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn('<h1 id="minutes-title">Summary minutes</h1>', html)
        self.assertIn("<dd>Wednesday 6 March 2019</dd>", html)
        self.assertIn("<dd>2pm to 3:55pm (close)</dd>", html)
        self.assertIn(
            '<div class="minute" id="para-1-1"><p class="numbered"><span class="para-number">'
            "1.1</span> The Mayor welcomed Partners",
            html,
        )
        self.assertIn(
            '<h3 id="item-8a"><span class="item-number">8a</span> Delivery Model</h3>', html
        )
        self.assertIn('<span class="para-number">8.2</span> The Head of VRU', html)
        self.assertIn('<p class="action-line">Action: Lib Peck and Jake Ferguson</p>', html)
        self.assertIn(
            "Vicky Hobart, Head of Health, GLA <em>(attending on behalf of Professor Yvonne "
            "Doyle)</em>",
            html,
        )
        self.assertIn('href="../minutes.pdf"', html)
        self.assertIn("reports/minutes.css", html)
        numbers = re.findall(r'<span class="para-number">([\d.]+)</span>', html)
        self.assertEqual(numbers[:8], ["1.1", "1.2", "1.3", "1.4", "1.5", "2.1", "3.1", "3.2"])
        self.assertEqual(numbers[-1], "12.1")

    def test_typed_text_is_escaped_and_sanitised(self) -> None:
        html = self.client.get(MARCH).content.decode()
        self.assertIn("Any other &lt;b&gt;business&lt;/b&gt;", html)
        self.assertIn("<strong>the risk</strong>", html)
        self.assertIn(
            '<a href="https://example.org/report" rel="nofollow noopener noreferrer">', html
        )
        # Typed HTML is shown as text (issue 17: nothing after it may be lost), never as tags.
        self.assertIn("&lt;script&gt;alert(", html)
        self.assertNotIn("<script", html)
        self.assertNotIn("javascript:", html)

    def test_draft_minutes_are_for_partners_once_circulated(self) -> None:
        Meeting.objects.filter(key="2019-05-01").update(status="held")
        self.client.force_login(self.partner)
        self.assertEqual(self.client.get(MAY).status_code, 403)
        Meeting.objects.filter(key="2019-05-01").update(status="minutes_circulated")
        response = self.client.get(MAY)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Draft minutes (minutes circulated to partners)", response.content.decode())
        self.assertIn("private", response["Cache-Control"])
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(MAY).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(MAY).status_code, 404)

    def test_the_page_links_every_stored_version_and_says_which_are_corrections(self) -> None:
        for version, note in ((1, ""), (2, "Paragraph 4.2 corrected.")):
            document = StoredDocument(
                meeting=self.march,
                kind="minutes",
                version=version,
                sha256="0" * 64,
                size=4,
                is_correction=bool(note),
                correction_note=note,
            )
            document.file.save(f"minutes-v{version}.pdf", ContentFile(b"%PDF"), save=False)
            document.save()
        html = self.client.get(MARCH).content.decode()
        self.assertIn('href="../documents/1/minutes.pdf"', html)
        self.assertIn('href="../documents/2/minutes.pdf"', html)
        self.assertIn("correction — Paragraph 4.2 corrected.", html)

    @recording_history()  # records of the past, entered before the minutes are frozen
    def test_the_page_takes_the_same_queries_however_large_the_minutes(self) -> None:
        with self.assertNumQueries(18):
            self.client.get(MARCH)
        people = [
            Person.objects.create(key=f"guest-{n}", name=f"Guest {n}", role="Observer")
            for n in range(3)
        ]
        for n in range(3):
            item = AgendaItem.objects.create(
                meeting=self.march, number=f"{13 + n}", position=20 + n, title=f"Extra {n}"
            )
            for p in range(3):
                MinuteParagraph.objects.create(item=item, position=p, text=f"Paragraph {p}.")
            action = Action.objects.create(
                meeting=self.march, item=item, key=f"extra-{n}", description="More."
            )
            ActionOwner.objects.create(action=action, role="Clerk")
            Attendance.objects.create(
                meeting=self.march, person=people[n], capacity="in_attendance", position=90 + n
            )
        with self.assertNumQueries(18):
            response = self.client.get(MARCH)
        self.assertIn("Extra 2", response.content.decode())
