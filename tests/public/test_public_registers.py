"""The body's public registers (attendance, interests, forward plan, action log, contact),
the meeting page as readers expect it, and PDF links that say what they are."""

from __future__ import annotations

import datetime as dt
import re

from django.core.files.base import ContentFile
from django.test import TestCase, override_settings
from django.utils import timezone
from icalendar import Calendar

from meetings.lock_scope import recording_history
from meetings.models import AgendaItem, Declaration, ForwardPlanItem, Meeting
from members.models import Interest
from reports.models import StoredDocument
from tests.public_world import (
    CIRCULATED_ACTION,
    CIRCULATED_MINUTES,
    SECRET_DRAFT_ACTION,
    SECRET_DRAFT_AGENDA,
    WorldMixin,
    add_item,
    add_meeting,
)


def text_of(html: str) -> str:
    """The page's main text with tags dropped and spaces folded, to assert sentences."""
    main = html[html.find("<main") : html.find("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)).replace("&#x27;", "'")


class AttendancePageTests(WorldMixin, TestCase):
    def test_the_year_table_counts_6_march_as_its_minutes_record_it(self) -> None:
        text = text_of(self.page("/prg/attendance/?year=2019"))
        # 23 members appointed on 6 March: 18 present, 2 by a named substitute, 3 apologies.
        assert "6 March 2019 23 18 2 3 0 78% 87%" in text
        assert "The year 23 18 2 3 0 78% 87%" in text
        assert "22 January 2019 No attendance recorded in the minutes" in text

    def test_a_named_substitute_counts_for_the_seat(self) -> None:
        text = text_of(self.page("/prg/attendance/?year=2019"))
        # The health seats: one member present, one by substitute, one sent apologies.
        assert "Three senior representatives from the health sector 3 1 1 1 0 33% 67%" in text
        assert "By organisation" in text and "By member" in text

    def test_the_page_defines_expected_and_attended(self) -> None:
        text = text_of(self.page("/prg/attendance/"))
        assert "Expected Every member appointed to the board on the day of a meeting" in text
        assert "Attended The member was present" in text

    def test_circulated_minutes_count_for_partners_only(self) -> None:
        assert "4 September 2019" not in text_of(self.page("/prg/attendance/?year=2019"))
        self.client.force_login(self.world.partner_a)
        assert "4 September 2019" in text_of(self.page("/prg/attendance/?year=2019"))

    def test_the_meeting_page_links_to_the_years_attendance(self) -> None:
        page = self.page("/prg/meetings/2019-03-06/")
        assert 'href="/prg/attendance/?year=2019"' in page


class InterestsPageTests(WorldMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        person = cls.world.person_a
        today = timezone.localdate()
        Interest.objects.create(
            person=person, description="Trustee of Youth Charity X", category="directorship"
        )
        Interest.objects.create(
            person=person,
            description="Former adviser to Y",
            registered_on=dt.date(2019, 1, 1),
            ended_on=today - dt.timedelta(days=1),
        )
        six_march = Meeting.objects.get(body=cls.world.body_a, key="2019-03-06")
        with recording_history():
            Declaration.objects.create(
                item=six_march.items.get(number="5"),
                person=person,
                interest="Governor of a school in Camden",
            )
            Declaration.objects.create(
                item=cls.world.circulated.items.get(number="1"),
                person=person,
                interest="Circulated-only declaration",
            )

    def test_current_interests_and_published_declarations_are_listed(self) -> None:
        text = text_of(self.page("/prg/interests/"))
        assert "Jake Ferguson" in text
        assert "Trustee of Youth Charity X Directorship or trusteeship" in text
        assert "6 March 2019, item 5" in text
        assert "Governor of a school in Camden" in text

    def test_ended_interests_and_unpublished_declarations_are_not(self) -> None:
        text = text_of(self.page("/prg/interests/"))
        assert "Former adviser to Y" not in text
        assert "Circulated-only declaration" not in text

    def test_a_partner_sees_declarations_of_circulated_minutes(self) -> None:
        self.client.force_login(self.world.partner_a)
        assert "Circulated-only declaration" in text_of(self.page("/prg/interests/"))

    def test_the_meeting_page_shows_the_declaration_under_its_item(self) -> None:
        page = self.page("/prg/meetings/2019-03-06/")
        item = page[page.find('id="item-5"') : page.find('id="item-6"')]
        assert "Declarations of interest" in item
        assert "Jake Ferguson declared an interest: Governor of a school in Camden" in item


class ForwardPlanTests(WorldMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        body = cls.world.body_a
        today = timezone.localdate()
        cls.later = add_meeting(body, today + dt.timedelta(days=60), Meeting.Status.DRAFT)
        add_item(cls.later, "5", f"{SECRET_DRAFT_AGENDA} later item")
        cancelled = add_meeting(body, today + dt.timedelta(days=30), Meeting.Status.CANCELLED)
        ForwardPlanItem.objects.create(
            body=body, title="Serious youth violence review", target_meeting=cls.later
        )
        ForwardPlanItem.objects.create(
            body=body, title="Cancelled meeting's plan", target_meeting=cancelled
        )
        ForwardPlanItem.objects.create(
            body=body,
            title="Annual report of the board",
            target_month=(today + dt.timedelta(days=100)).replace(day=1),
        )

    def test_future_meetings_show_their_planned_business(self) -> None:
        text = text_of(self.page("/prg/forward-plan/"))
        upcoming = self.world.upcoming
        assert f"{upcoming.date:%A} {upcoming.date.day} {upcoming.date:%B %Y} , 2pm to 4pm" in text
        assert "The agenda is published. Its business: Knife crime strategy" in text
        assert "The agenda is not published yet. Planned: Serious youth violence review" in text
        assert "Planned, meeting not yet chosen Annual report of the board" in text

    def test_draft_agenda_items_and_cancelled_meetings_are_not_shown(self) -> None:
        text = text_of(self.page("/prg/forward-plan/"))
        assert SECRET_DRAFT_AGENDA not in text
        assert "Cancelled meeting's plan" not in text
        # A future meeting whose agenda is not published is not linked: its page is a 404.
        assert f'href="/prg/meetings/{self.later.key}/"' not in self.page("/prg/forward-plan/")


class ActionLogTests(WorldMixin, TestCase):
    def test_the_public_sees_actions_of_published_minutes_only(self) -> None:
        text = text_of(self.page("/prg/actions/?status=all"))
        assert "7 actions." in text
        assert "The Mayor to send a letter of thanks to the Scottish VRU" in text
        assert "Complete: The letter has been sent. Clerk" in text
        assert CIRCULATED_ACTION not in text and SECRET_DRAFT_ACTION not in text

    def test_open_is_the_default_and_overdue_actions_stand_out(self) -> None:
        text = text_of(self.page("/prg/actions/"))
        assert "1 action." in text
        assert "31 March 2019 (overdue) Ongoing: Verbal update to be provided." in text
        assert "letter of thanks" not in text

    def test_closed_actions_and_an_unknown_filter(self) -> None:
        assert "6 actions." in text_of(self.page("/prg/actions/?status=closed"))
        assert "1 action." in text_of(self.page("/prg/actions/?status=nonsense"))

    def test_a_partner_sees_actions_of_circulated_minutes(self) -> None:
        self.client.force_login(self.world.partner_a)
        text = text_of(self.page("/prg/actions/?status=all"))
        assert CIRCULATED_ACTION in text and SECRET_DRAFT_ACTION not in text


class ContactAndMenuTests(WorldMixin, TestCase):
    @override_settings(CONTACT_EMAIL="secretariat@example.org")
    def test_the_contact_page_gives_the_contact_address(self) -> None:
        page = self.page("/prg/contact/")
        assert 'href="mailto:secretariat@example.org"' in page

    def test_each_register_is_in_the_menu_and_on_the_body_page(self) -> None:
        page = self.page("/prg/")
        menu = page[page.find("<header") : page.find("</header>")]
        for path in ("attendance", "interests", "forward-plan", "actions", "contact"):
            assert f'href="/prg/{path}/"' in menu, path
            assert page.count(f'href="/prg/{path}/"') >= 2, path

    def test_each_register_is_in_the_sitemap(self) -> None:
        sitemap = self.client.get("/sitemap.xml").content.decode()
        for path in ("attendance", "interests", "forward-plan", "actions", "contact"):
            assert f"/prg/{path}/</loc>" in sitemap, path


class MeetingPageTests(WorldMixin, TestCase):
    def test_each_item_carries_its_minutes_and_outcome(self) -> None:
        with recording_history():
            AgendaItem.objects.filter(meeting__key="2019-03-06", number="4").update(
                outcome=AgendaItem.Outcome.NOTED, decision_paragraph=None
            )
        page = self.page("/prg/meetings/2019-03-06/")
        item = page[page.find('id="item-4"') : page.find('id="item-5"')]
        assert "Minutes of item 4" in item
        assert "Mark Simmons presented the report" in item
        assert "Action: Lib Peck" in item
        assert "<strong>Outcome:</strong> Noted." in item

    def test_who_attended_is_listed(self) -> None:
        text = text_of(self.page("/prg/meetings/2019-03-06/"))
        attended = text[text.find("Who attended") :]
        assert "Present" in attended and "Sadiq Khan" in attended and "Apologies" in attended

    def test_minutes_not_yet_published_are_not_shown_per_item(self) -> None:
        key = self.world.circulated.key
        assert CIRCULATED_MINUTES not in self.page(f"/prg/meetings/{key}/")
        assert "Who attended" not in self.page(f"/prg/meetings/{key}/")
        self.client.force_login(self.world.partner_a)
        assert CIRCULATED_MINUTES in self.page(f"/prg/meetings/{key}/")

    def test_minutes_of_last_meeting_links_to_the_previous_minutes(self) -> None:
        page = self.page("/prg/meetings/2019-05-01/")
        item = page[page.find('id="item-3"') : page.find('id="item-4"')]
        assert (
            '<a href="/prg/meetings/2019-03-06/minutes/">Minutes of the meeting on 6 March' in item
        )

    def test_the_meeting_can_be_added_to_a_calendar(self) -> None:
        page = self.page("/prg/meetings/2019-05-01/")
        assert 'href="/prg/meetings/2019-05-01/meeting.ics"' in page
        response = self.client.get("/prg/meetings/2019-05-01/meeting.ics")
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        events = Calendar.from_ical(response.content).walk("VEVENT")
        assert len(events) == 1
        assert events[0].decoded("DTSTART").date() == dt.date(2019, 5, 1)
        assert "1 May 2019, 2pm" in str(events[0]["DESCRIPTION"])

    def test_a_draft_meeting_has_no_calendar_file(self) -> None:
        self.client.force_login(self.world.secretary_a)
        assert self.client.get("/prg/meetings/2019-06-12/meeting.ics").status_code == 404

    def test_the_meetings_list_links_agenda_and_papers(self) -> None:
        page = self.page("/prg/meetings/?year=2019")
        assert (
            '<a href="/prg/meetings/2019-05-01/">Agenda and papers'
            '<span class="visually-hidden"> for 1 May 2019</span></a>' in page
        )

    def test_times_read_in_govuk_style(self) -> None:
        assert "2pm to 3:55pm" in text_of(self.page("/prg/meetings/2019-03-06/"))
        listing = text_of(self.page("/prg/meetings/?year=2019"))
        assert "Wednesday 6 March 2019 2pm" in listing and "14:00" not in listing


class PdfLabelTests(WorldMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        meeting = cls.world.published
        paper = meeting.items.get(number="7").papers.get()
        for kind, size, pages, extra in (
            ("agenda", 290_400, 4, {}),
            ("paper", 1_234_567, 42, {"paper": paper, "audience": "public"}),
            ("paper", 99_000, 3, {"paper": paper, "audience": "partners"}),
        ):
            document = StoredDocument(
                meeting=meeting,
                kind=kind,
                version=1,
                sha256="0" * 64,
                size=size,
                pages=pages,
                **extra,
            )
            document.file.save(f"{kind}.pdf", ContentFile(b"%PDF-1.7"), save=False)
            document.save()

    def test_links_give_size_and_pages_as_stored(self) -> None:
        text = text_of(self.page("/prg/meetings/2019-05-01/"))
        assert "Agenda (PDF, 290 KB, 4 pages)" in text
        assert "PDF, 1.2 MB, 42 pages" in text
        # Not frozen yet: the link says only what it is.
        assert "Agenda pack (agenda and public papers) (PDF)" in text

    def test_partners_see_the_label_of_their_own_copy(self) -> None:
        self.client.force_login(self.world.partner_a)
        text = text_of(self.page("/prg/meetings/2019-05-01/"))
        assert "PDF, 99 KB, 3 pages" in text and "1.2 MB" not in text

    def test_the_home_page_and_feed_label_public_papers(self) -> None:
        assert "PDF, 1.2 MB, 42 pages" in text_of(self.page("/prg/"))
        assert "PDF, 1.2 MB, 42 pages" in self.client.get("/prg/feed.atom").content.decode()
