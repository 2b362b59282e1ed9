"""The appointment form offers the body's own people (members, and people recorded at its
meetings or owning its actions) and people just added, not everyone in the database. Another
board's partner is reached the way the duplicate-name confirmation shows them: adding a new
person of that name lists them with a link that offers them on the appointment form."""

from __future__ import annotations

import datetime as dt
import re

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from members.models import Person
from tests.world import DemoWorld, appoint, make_body

APPOINT = "/manage/prg/members/appoint/"


def offered(page: str) -> list[str]:
    select = re.search(r'<select name="person".*?</select>', page, re.DOTALL)
    assert select is not None
    return re.findall(r"<option value=\"\d+\"[^>]*>([^<]+)</option>", select[0])


class AppointPeopleOfferedTests(DemoWorld, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()
        other, _ = make_body("ssp", effective_from=dt.date(2018, 1, 1))
        appoint(other, "other-partner", "chair", start=dt.date(2018, 1, 1), check=False)
        cls.other_partner = Person.objects.get(key="other-partner")

    def setUp(self) -> None:
        self.client = self.client_for(self.secretary)

    def test_the_form_offers_the_bodys_people_and_those_just_added(self) -> None:
        names = offered(self.client.get(APPOINT).content.decode())
        assert "Jake Ferguson" in names  # a member of the board
        assert "Unattached Person" in names  # on no body's records yet
        assert "Other Partner" not in names  # another board's partner
        assert names == sorted(names)

    def test_another_boards_partner_posted_without_being_offered_is_refused(self) -> None:
        response = self.client.post(
            APPOINT, {"person": self.other_partner.pk, "seat_key": "", "start": "2019-06-01"}
        )
        assert "Select a valid choice" in response.content.decode()
        assert not self.other_partner.appointments.filter(body=self.body).exists()

    def test_a_new_persons_namesake_of_another_board_links_to_appoint_them(self) -> None:
        page = self.client.post(
            "/manage/prg/people/new/", {"name": "Other Partner"}
        ).content.decode()
        assert "Other Partner is already in the records. Is this someone else?" in page
        link = f'<a href="{APPOINT}?person=other-partner">Other Partner</a>'
        assert link in page
        assert Person.objects.filter(name="Other Partner").count() == 1

    def test_the_form_offers_the_namesake_it_was_opened_for(self) -> None:
        page = self.client.get(f"{APPOINT}?person=other-partner").content.decode()
        assert "Other Partner" in offered(page)
        assert re.search(
            rf'<option value="{self.other_partner.pk}" selected>Other Partner</option>', page
        )
        response = self.client.post(
            f"{APPOINT}?person=other-partner",
            {"person": self.other_partner.pk, "seat_key": "", "start": "2019-06-01"},
        )
        assert "Select a valid choice" not in response.content.decode()

    def test_the_page_asks_a_fixed_number_of_queries_whatever_the_people(self) -> None:
        self.client.get(APPOINT)
        before = self.count_queries()
        for n in range(5):
            Person.objects.create(key=f"extra-{n}", name=f"Extra {n}")
        assert self.count_queries() == before

    def count_queries(self) -> int:
        with CaptureQueriesContext(connection) as queries:
            self.client.get(APPOINT)
        return len(queries)
