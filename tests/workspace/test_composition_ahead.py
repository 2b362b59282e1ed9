"""Terms and composition ahead (issue 18, capability 3): the roster's chart of the community
share over the next twelve months with its warning, and the secretaries' reminder six weeks
before an appointment ends."""

from __future__ import annotations

import datetime as dt
import io

from django.core import mail
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from members.models import Appointment, AppointmentEndReminder, Person
from tests.world import DemoWorld, full_roster, make_body


class CompositionAheadTests(DemoWorld, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()
        cls.board, _ = make_body("ahead")
        full_roster(cls.board)  # 8 community members of 25: 32%, the minimum 30%
        cls.board.secretaries.add(cls.secretary)
        cls.secretary.email = "amy@example.org"
        cls.secretary.save()
        cls.today = timezone.localdate()

    def end(self, key: str, on: dt.date) -> Appointment:
        appointment = Appointment.objects.get(body=self.board, person__key=key)
        appointment.end = on
        appointment.save()
        return appointment

    def roster(self) -> str:
        response = self.client_for(self.secretary).get("/manage/ahead/members/")
        assert response.status_code == 200
        return response.content.decode()

    # The roster's chart --------------------------------------------------------------------

    def test_the_roster_warns_naming_the_first_date_the_share_falls_below_the_minimum(
        self,
    ) -> None:
        ends = self.today + dt.timedelta(days=20)
        self.end("community-1", ends)
        page = self.roster()
        falls = ends + dt.timedelta(days=1)
        assert f"On {falls:%-d %B %Y} community representation falls to 7 of 24 members" in page
        assert "(29%), below the minimum of 0.30: 1 more community member needed" in page

    def test_the_roster_flags_an_appointment_ending_within_six_weeks(self) -> None:
        self.end("community-1", self.today + dt.timedelta(weeks=6))
        self.end("community-2", self.today + dt.timedelta(weeks=6, days=1))
        page = self.roster()
        assert page.count("Ends within six weeks") == 1
        row = page[page.index("Community 1</a>") :]
        assert row.index("Ends within six weeks") < row.index("Community 2</a>")

    def test_a_roster_already_short_says_so_for_today(self) -> None:
        self.end("community-1", self.today - dt.timedelta(days=1))
        page = self.roster()
        assert (
            "Community representation is below the minimum today: 7 of 24 members (29%), "
            "against a minimum of 0.30; 1 more community member needed." in page
        )

    def test_the_chart_is_an_svg_with_the_numbers_in_a_table_beside_it(self) -> None:
        self.end("community-1", self.today + dt.timedelta(days=20))
        page = self.roster()
        assert '<svg xmlns="http://www.w3.org/2000/svg"' in page and "<script" not in page
        assert 'role="img"' in page and '<title id="ahead-svg-title">' in page
        assert 'class="below"' in page  # the shortfall is shaded
        table = page[page.index('id="composition-ahead-table"') :]
        assert "8 of 25</td><td>32%" in table
        assert "7 of 24</td><td>29%" in table

    def test_a_successor_appointed_in_time_lifts_the_warning(self) -> None:
        ends = self.today + dt.timedelta(days=20)
        self.end("community-1", ends)
        Appointment.objects.create(
            body=self.board,
            person=Person.objects.create(key="successor", name="Successor"),
            seat_key="community",
            start=ends + dt.timedelta(days=1),
        )
        page = self.roster()
        assert "stays at or above the minimum of 0.30" in page
        assert 'class="below"' not in page

    # The reminder --------------------------------------------------------------------------

    def run_reminders(self, on: dt.date) -> str:
        out = io.StringIO()
        call_command("send_appointment_reminders", "--date", on.isoformat(), stdout=out)
        return out.getvalue()

    def test_the_secretary_is_reminded_six_weeks_before_an_appointment_ends_and_once(
        self,
    ) -> None:
        ends = dt.date(2027, 6, 30)
        self.end("community-1", ends)
        self.run_reminders(ends - dt.timedelta(weeks=6, days=1))
        assert mail.outbox == []  # not yet
        self.run_reminders(ends - dt.timedelta(weeks=6))
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["amy@example.org"]
        assert 'Community 1, seat "community": ends on 30 June 2027' in message.body
        assert "on 1 July 2027 the community share falls to 29%" in message.body
        assert "/manage/ahead/members/" in message.body
        self.run_reminders(ends - dt.timedelta(weeks=5))
        assert len(mail.outbox) == 1, "a reminder is sent once"
        assert AppointmentEndReminder.objects.get().end == ends

    def test_an_end_date_moved_later_is_reminded_of_again(self) -> None:
        self.end("community-1", dt.date(2027, 6, 30))
        self.run_reminders(dt.date(2027, 6, 1))
        self.end("community-1", dt.date(2027, 9, 30))
        self.run_reminders(dt.date(2027, 9, 1))
        assert [m.subject for m in mail.outbox] == [
            "1 appointment to Board ahead ending within six weeks"
        ] * 2

    def test_a_dry_run_lists_the_reminders_and_sends_nothing(self) -> None:
        self.end("community-1", dt.date(2027, 6, 30))
        out = io.StringIO()
        call_command("send_appointment_reminders", "--date", "2027-06-01", "--dry-run", stdout=out)
        assert "ahead → amy@example.org: Community 1" in out.getvalue()
        assert mail.outbox == [] and not AppointmentEndReminder.objects.exists()
