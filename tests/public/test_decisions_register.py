"""The public decisions register: the page (filter by year and outcome), its Atom feed and the
API, with the demo's decisions of 6 March 2019 as minuted; only published minutes; query
counts that do not grow with the data."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from meetings.lock_scope import recording_history
from meetings.models import AgendaItem, Dissent, Meeting, MinuteParagraph
from members.models import Person
from tests.public import test_api as api_tests
from tests.public_world import add_item, add_meeting, add_paper
from tests.world import DemoWorld

ATOM = "{http://www.w3.org/2005/Atom}"

# (url, queries): the body, the years (not in the feed and the API), the count (not in the
# feed), the page's decisions; their reservations and dissent, papers, and the meetings' items
# and paragraphs (to number a decision minuted in one).
PINNED = [
    ("/prg/decisions/", 8),
    ("/prg/decisions/?year=2019&outcome=noted", 8),
    ("/prg/decisions.atom", 6),
    ("/api/bodies/prg/decisions/", 7),
    ("/api/bodies/prg/decisions/?year=2019&outcome=agreed", 7),
]


@recording_history()
def add_published_decisions(body: object, count: int, *, start: dt.date) -> list[AgendaItem]:
    """Meetings with published minutes, each with a decision that has a public paper, an exempt
    one, a reservation and a dissent."""
    person = Person.objects.get(key="jake-ferguson")
    items = []
    for i in range(count):
        meeting = add_meeting(body, start + dt.timedelta(days=i), "minutes_published")
        item = add_item(meeting, "5", f"Youth strategy {i}")
        item.recommendation = f"The Group is asked to **agree** strategy {i}."
        item.outcome = "agreed_with_reservations"
        item.approved_wording = f"Strategy {i} agreed, to be reviewed in a year."
        item.save()
        MinuteParagraph.objects.create(item=item, text=f"Partners discussed strategy {i}.")
        add_paper(item, f"strategy-{i}", f"Strategy paper {i}", "Summary.")
        add_paper(item, f"strategy-exempt-{i}", f"Withheld strategy {i}", "Secret.", exempt=True)
        Dissent.objects.create(item=item, person=person, kind="reservation", text=f"Cost {i}.")
        Dissent.objects.create(item=item, person=person, text=f"Objected to part {i}.")
        items.append(item)
    return items


class DecisionsRegisterTests(DemoWorld, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()

    def page(self, url: str) -> str:
        response = self.client.get(url)
        assert response.status_code == 200, url
        return response.content.decode()

    def test_the_page_lists_the_decisions_of_6_march_2019_as_minuted(self) -> None:
        text = self.page("/prg/decisions/")
        assert "4 decisions." in text
        assert "Actions Arising" in text and "Violence in Numbers" in text
        # The outcome and the paragraph that states it, linked to that paragraph.
        assert "Agreed by consensus" in text
        assert "it was agreed that Lib Peck would consider the VRU" in text
        assert 'href="/prg/meetings/2019-03-06/minutes/#para-4-2"' in text
        assert 'href="/prg/meetings/2019-03-06/#item-4"' in text
        assert "Minute 4.2" in text

    def test_recommendations_of_minutes_not_yet_published_are_not_listed(self) -> None:
        # The 1 May 2019 items carry their papers' recommendations; the minutes are not out.
        assert AgendaItem.objects.filter(meeting__key="2019-05-01").exclude(recommendation="")
        text = self.page("/prg/decisions/")
        assert "Future of Partnership Reference Group" not in text
        assert "comment on and approve the proposal" not in text

    def test_decisions_filter_by_outcome_and_by_year(self) -> None:
        agreed = self.page("/prg/decisions/?outcome=agreed")
        assert "1 decision." in agreed and "Violence in Numbers" in agreed
        assert "Forward Plan" not in agreed
        assert "No decisions match these filters" in self.page("/prg/decisions/?outcome=deferred")
        add_published_decisions(self.body, 1, start=dt.date(2020, 2, 5))
        in_2020 = self.page("/prg/decisions/?year=2020")
        assert "Youth strategy 0" in in_2020 and "Violence in Numbers" not in in_2020
        assert '<option value="2020" selected>' in in_2020
        # A year with no decision, or nonsense, is no filter.
        assert "5 decisions." in self.page("/prg/decisions/?year=1999&outcome=nonsense")

    def test_a_decision_shows_its_recommendation_wording_reservations_dissent_and_papers(
        self,
    ) -> None:
        add_published_decisions(self.body, 1, start=dt.date(2020, 2, 5))
        text = self.page("/prg/decisions/?year=2020")
        assert "The Group is asked to <strong>agree</strong> strategy 0." in text
        assert "Agreed with reservations" in text
        assert "Strategy 0 agreed, to be reviewed in a year." in text
        assert "Jake Ferguson: Cost 0." in text
        assert "Jake Ferguson: Objected to part 0." in text
        assert "Strategy paper 0" in text and "/papers/strategy-0.pdf" in text
        assert "Withheld strategy 0" not in text  # an exempt paper is never shown

    def test_the_atom_feed_carries_each_decision_with_its_outcome(self) -> None:
        response = self.client.get("/prg/decisions.atom")
        assert response["Content-Type"].startswith("application/atom+xml")
        feed = ET.fromstring(response.content)
        titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
        assert "Agreed by consensus: Violence in Numbers (6 March 2019, item 4)" in titles
        assert len(titles) == 4
        summary = next(
            e.findtext(f"{ATOM}summary")
            for e in feed.iter(f"{ATOM}entry")
            if "Violence in Numbers" in e.findtext(f"{ATOM}title")
        )
        assert "As minuted" in summary and "4.2" in summary

    def test_the_api_serves_the_decisions_in_the_records_format(self) -> None:
        data = self.client.get("/api/bodies/prg/decisions/?outcome=agreed").json()
        assert data["count"] == 1
        (decision,) = data["decisions"]
        assert decision["meeting"] == "2019-03-06" and decision["item"] == "4"
        assert decision["outcome"] == "agreed"
        assert decision["outcome_label"] == "Agreed by consensus"
        assert decision["decision_paragraph"] == 2 and decision["minuted_in"] == "4.2"
        assert decision["minutes_url"].endswith("/prg/meetings/2019-03-06/minutes/#para-4-2")
        assert decision["meeting_api_url"].endswith("/api/bodies/prg/meetings/2019-03-06/")

    def test_the_api_names_the_people_of_reservations_and_dissent_without_emails(self) -> None:
        add_published_decisions(self.body, 1, start=dt.date(2020, 2, 5))
        data = self.client.get("/api/bodies/prg/decisions/?year=2020").json()
        (decision,) = data["decisions"]
        assert decision["reservations"] == [{"person": "jake-ferguson", "text": "Cost 0."}]
        assert decision["dissent"] == [{"person": "jake-ferguson", "text": "Objected to part 0."}]
        assert [p["title"] for p in decision["papers"]] == ["Strategy paper 0"]
        assert [p["key"] for p in data["people"]] == ["jake-ferguson"]
        assert "email" not in json.dumps(data["people"])

    def test_the_api_answers_as_its_openapi_document_describes(self) -> None:
        add_published_decisions(self.body, 1, start=dt.date(2020, 2, 5))
        openapi = self.client.get("/api/openapi.json").json()
        assert "/api/bodies/{body}/decisions/" in openapi["paths"]
        for url in ("/api/bodies/prg/decisions/", "/api/bodies/prg/decisions/?year=2020"):
            data = self.client.get(url).json()
            errors = [
                e.message for e in api_tests.schema_for(openapi, "DecisionList").iter_errors(data)
            ]
            assert errors == [], url
        meeting = self.client.get("/api/bodies/prg/meetings/2019-03-06/").json()
        assert not list(api_tests.schema_for(openapi, "MeetingDocument").iter_errors(meeting))

    def test_the_api_refuses_an_unknown_outcome_as_a_problem(self) -> None:
        response = self.client.get("/api/bodies/prg/decisions/?outcome=carried")
        assert response.status_code == 400
        assert response["Content-Type"] == "application/problem+json"
        assert (
            "outcome must be one of agreed, agreed_with_reservations" in response.json()["detail"]
        )

    def test_the_meeting_api_carries_the_decision_fields_once_the_minutes_are_published(
        self,
    ) -> None:
        march = self.client.get("/api/bodies/prg/meetings/2019-03-06/").json()["meeting"]
        item = next(i for i in march["items"] if i["number"] == "4")
        assert (item["outcome"], item["decision_paragraph"]) == ("agreed", 2)
        may = self.client.get("/api/bodies/prg/meetings/2019-05-01/").json()["meeting"]
        assert not any("recommendation" in i for i in may["items"])

    def count(self, url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get(url)
        assert response.status_code == 200, url
        return len(ctx.captured_queries)

    def test_the_pages_feed_and_api_run_their_pinned_number_of_queries(self) -> None:
        assert {url: self.count(url) for url, _ in PINNED} == dict(PINNED)

    def test_query_counts_do_not_grow_with_the_number_of_decisions(self) -> None:
        before = {url: self.count(url) for url, _ in PINNED}
        add_published_decisions(self.body, 12, start=dt.date(2019, 11, 1))
        after = {url: self.count(url) for url, _ in PINNED}
        assert after == before
        assert "Youth strategy 11" in self.page("/prg/decisions/")

    def test_the_body_navigation_links_to_the_decisions(self) -> None:
        assert 'href="/prg/decisions/"' in self.page("/prg/meetings/")


class DecisionsOfUnpublishedMinutesTests(DemoWorld, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()

    @recording_history()
    def test_approved_but_unpublished_minutes_list_no_decision(self) -> None:
        meeting = add_meeting(self.body, dt.date(2019, 10, 16), Meeting.Status.MINUTES_APPROVED)
        item = add_item(meeting, "5", "Unpublished strategy")
        item.outcome = "agreed"
        item.save()
        self.client.force_login(self.partner)
        assert "Unpublished strategy" not in self.client.get("/prg/decisions/").content.decode()
        api = self.client.get("/api/bodies/prg/decisions/").json()
        assert "Unpublished strategy" not in json.dumps(api)
