"""The board's own picture (issue 18, capability 6): the annual report page and PDF of a body,
from its published records only, checked against the demo's 2019 records."""

from __future__ import annotations

import datetime as dt
import io
import re

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from actions.models import Action, ActionUpdate
from meetings.models import Attendance, Meeting
from members.models import Body, Person
from reports.annual import AnnualReport, Bar, annual_report
from tests.jobs import run_jobs
from tests.public.test_api import schema_for
from tests.public_world import add_item, add_meeting
from tests.world import DemoWorld

# The meetings, their attendance (and people), their items; the terms, their seats; the
# appointments (and people); the actions, their updates: whatever the records hold.
REPORT_QUERIES = 8


def bars(report: AnnualReport, name: str) -> dict[str, tuple[int, int]]:
    chart: list[Bar] = getattr(report, name)
    return {b.label: (b.value, b.total) for b in chart}


class AnnualReportTests(DemoWorld, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()
        cls.body = Body.objects.get(slug="prg")

    def report(self) -> AnnualReport:
        return annual_report(body=self.body, year=2019)

    def test_only_meetings_with_published_minutes_count_and_1_may_2019_does_not(self) -> None:
        assert Meeting.objects.filter(body=self.body, key="2019-05-01").exists()
        dates = [m.date for m in self.report().meetings]
        assert dates == [dt.date(2019, 1, 22), dt.date(2019, 3, 6)]

    def test_attendance_counts_a_named_substitute_for_the_member_and_their_seat(self) -> None:
        people = bars(self.report(), "attendance_by_person")
        # 6 March 2019 records attendance (22 January records none, so it is not counted):
        # Vicky Hobart came for Professor Doyle, Caroline Reid for Joanne Murfitt.
        assert people["Professor Yvonne Doyle"] == (1, 1)
        assert people["Joanne Murfitt"] == (1, 1)
        assert people["Dr Vin Diwakar"] == (0, 1)
        assert people["Sadiq Khan"] == (1, 1)
        assert "Vicky Hobart" not in people  # a substitute holds no seat
        seats = bars(self.report(), "attendance_by_seat")
        assert seats["Mayor of London (Chair)"] == (1, 1)
        assert seats["[30%] representatives from the community"] == (3, 3)
        assert seats["Three senior representatives from the health sector"] == (2, 3)

    def test_composition_gives_the_community_members_at_each_meeting(self) -> None:
        report = self.report()
        assert bars(report, "composition") == {"22 January 2019": (3, 23), "6 March 2019": (3, 23)}
        assert report.minimum_percent == 30

    def test_actions_raised_closed_and_closed_by_their_deadline(self) -> None:
        assert bars(self.report(), "actions") == {
            "Raised": (7, 7),
            "Closed": (6, 7),
            "Closed by the deadline": (0, 0),  # the demo keeps no dated status updates
            "Closed, date not recorded": (6, 6),
        }
        late, on_time = Action.objects.filter(key__in=["2019-03-06-1-1", "2019-03-06-4-1"])
        ActionUpdate.objects.create(action=late, date=dt.date(2019, 4, 2), status="complete")
        ActionUpdate.objects.create(action=on_time, date=dt.date(2019, 4, 2), status="complete")
        actions = bars(self.report(), "actions")
        assert actions["Closed by the deadline"] == (1, 2)
        assert actions["Closed, date not recorded"] == (4, 6)

    def test_decisions_are_counted_by_their_outcome_as_minuted(self) -> None:
        decisions = bars(self.report(), "decisions")
        assert decisions["Agreed by consensus"] == (1, 4)
        assert decisions["Noted"] == (3, 4)
        assert decisions["Not agreed"] == (0, 4)

    def test_an_agenda_published_with_too_little_notice_is_late(self) -> None:
        # The demo's agendas do not say when they went out: they are counted apart.
        assert bars(self.report(), "notice")["Publication date not recorded"] == (3, 3)
        meeting = Meeting.objects.get(body=self.body, key="2019-03-06")
        meeting.agenda_published_at = timezone.make_aware(dt.datetime(2019, 3, 3, 9, 0))
        meeting.save(update_fields=["agenda_published_at"])
        report = self.report()
        assert bars(report, "notice")["Published late"] == (1, 3)
        assert [(x.meeting.key, x.clear_days, x.notice_days) for x in report.late_agendas] == [
            ("2019-03-06", 2, 5)
        ]
        meeting.agenda_published_at = timezone.make_aware(dt.datetime(2019, 2, 20, 9, 0))
        meeting.save(update_fields=["agenda_published_at"])
        assert bars(self.report(), "notice")["Published with the notice asked"] == (1, 3)

    def test_the_page_shows_each_chart_as_an_svg_with_its_numbers_in_a_table(self) -> None:
        response = self.client.get("/prg/annual/2019/")
        assert response.status_code == 200
        text = response.content.decode()
        assert "<h1>Annual report 2019</h1>" in text
        assert text.count('<svg role="img"') == 6
        assert text.count("<table") == 6
        assert (
            '<title id="decisions-svg-title">Decisions by outcome: Agreed by consensus 1 of 4'
            in text
        )
        assert re.search(r"<th scope=\"row\">Noted</th><td[^>]*>3</td><td[^>]*>4</td>", text)
        assert "<script" not in text.split("<main", 1)[-1].split("</main>")[0]
        assert 'href="/prg/annual/2019/annual-report.pdf"' in text

    def test_a_year_without_published_records_is_not_found(self) -> None:
        for url in (
            "/prg/annual/1999/",
            "/prg/annual/2019x/",
            "/prg/annual/1999/annual-report.pdf",
        ):
            assert self.client.get(url).status_code == 404, url
        assert self.client.get("/no-such-board/annual/2019/").status_code == 404

    def test_the_meetings_and_decisions_pages_link_to_the_years_annual_report(self) -> None:
        text = self.client.get("/prg/decisions/").content.decode()

        assert 'href="/prg/annual/2019/"' in text
        meetings = self.client.get("/prg/meetings/?year=2019").content.decode()
        assert 'href="/prg/annual/2019/"' in meetings
        # The years are those with a decision, though not every item of the meeting has one.
        assert '<option value="2019">2019</option>' in text

    def test_the_pdf_carries_the_same_figures(self) -> None:
        # Rendered by the job the first request asks for (tests/public/test_annual_report_pdf.py).
        with run_jobs():
            assert self.client.get("/prg/annual/2019/annual-report.pdf").status_code == 202
        response = self.client.get("/prg/annual/2019/annual-report.pdf")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        pdf = b"".join(response.streaming_content)
        assert pdf.startswith(b"%PDF")
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
        assert "ANNUAL REPORT 2019" in text
        assert "Agreed by consensus" in text

    def test_the_query_count_does_not_grow_with_the_records(self) -> None:
        with CaptureQueriesContext(connection) as before:
            annual_report(body=self.body, year=2019)
        assert len(before.captured_queries) == REPORT_QUERIES
        person = Person.objects.get(key="jake-ferguson")
        for day in range(5):
            meeting = add_meeting(self.body, dt.date(2019, 11, 1 + day), "draft")
            item = add_item(meeting, "1", f"Item {day}")
            item.outcome = "noted"
            item.save()
            Attendance.objects.create(meeting=meeting, person=person, capacity="member")
            action = Action.objects.create(
                meeting=meeting, key=f"a-{day}", description="Do it.", deadline=meeting.date
            )
            ActionUpdate.objects.create(action=action, date=meeting.date, status="complete")
            # Published once recorded: published records refuse additions.
            Meeting.objects.filter(pk=meeting.pk).update(status="minutes_published")
        with CaptureQueriesContext(connection) as after:
            report = annual_report(body=self.body, year=2019)
        assert len(after.captured_queries) == REPORT_QUERIES
        assert bars(report, "decisions")["Noted"] == (8, 9)


class AnnualReportApiTests(DemoWorld, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()

    def test_the_api_serves_the_figures_as_the_openapi_document_describes(self) -> None:
        response = self.client.get("/api/bodies/prg/annual/2019/")
        assert response.status_code == 200
        data = response.json()
        openapi = self.client.get("/api/openapi.json").json()
        assert [e.message for e in schema_for(openapi, "AnnualReport").iter_errors(data)] == []
        assert data["meetings"] == ["2019-01-22", "2019-03-06"]
        assert data["attendance_meetings"] == ["2019-03-06"]
        assert {"label": "Noted", "value": 3, "total": 4} in data["decisions"]
        assert data["pdf_url"] == "http://testserver/prg/annual/2019/annual-report.pdf"

    def test_an_unknown_year_or_body_is_a_problem_404(self) -> None:
        for url in ("/api/bodies/prg/annual/1999/", "/api/bodies/nope/annual/2019/"):
            response = self.client.get(url)
            assert response.status_code == 404, url
            assert response["Content-Type"] == "application/problem+json"
            assert response.json()["status"] == 404
