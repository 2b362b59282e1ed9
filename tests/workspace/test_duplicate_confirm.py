"""A second meeting on a date that has one, or a person with the name of an existing person:
the workspace asks to confirm, shows the existing one, and creates it once confirmed."""

from __future__ import annotations

from django.test import TestCase

from members.models import Person
from tests.world import DemoWorld


class DuplicateConfirmTests(DemoWorld, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()

    def setUp(self) -> None:
        self.client = self.client_for(self.secretary)

    def test_the_confirm_box_is_hidden_until_a_duplicate_is_found(self) -> None:
        page = self.client.get("/manage/prg/meetings/").content.decode()
        assert 'type="hidden" name="confirm"' in page
        assert 'type="checkbox" name="confirm"' not in page

    def test_a_second_meeting_on_a_date_asks_to_confirm_and_links_the_existing_one(self) -> None:
        data = {"date": "2019-03-06", "start_time": "17:30", "place": "City Hall"}
        response = self.client.post("/manage/prg/meetings/", data)
        page = response.content.decode()
        assert response.status_code == 200
        assert "The body already has a meeting on 6 March 2019. Is this another one?" in page
        assert 'type="checkbox" name="confirm"' in page
        assert '<a href="/manage/prg/meetings/2019-03-06/">6 March 2019 at 2pm</a>' in page
        assert self.body.meetings.filter(date="2019-03-06").count() == 1
        response = self.client.post("/manage/prg/meetings/", {**data, "confirm": "on"})
        assert response.status_code == 302
        assert self.body.meetings.filter(date="2019-03-06").count() == 2

    def test_a_person_with_an_existing_name_asks_to_confirm_and_shows_who_exists(self) -> None:
        data = {"name": "jake ferguson", "role": "Trustee"}
        page = self.client.post("/manage/prg/people/new/", data).content.decode()
        assert "jake ferguson is already in the records. Is this someone else?" in page
        assert '<a href="/manage/prg/people/jake-ferguson/">Jake Ferguson' in page
        assert Person.objects.filter(name__iexact="jake ferguson").count() == 1
        response = self.client.post("/manage/prg/people/new/", {**data, "confirm": "on"})
        assert response.status_code == 302
        assert Person.objects.filter(name__iexact="jake ferguson").count() == 2

    def test_a_name_typed_with_extra_spaces_is_found_and_saved_without_them(self) -> None:
        data = {"name": "  Jake   Ferguson ", "role": "Trustee"}
        page = self.client.post("/manage/prg/people/new/", data).content.decode()
        assert "Jake Ferguson is already in the records. Is this someone else?" in page
        response = self.client.post("/manage/prg/people/new/", {**data, "confirm": "on"})
        assert response.status_code == 302
        assert Person.objects.filter(name="Jake Ferguson").count() == 2

    def test_editing_an_existing_person_asks_nothing(self) -> None:
        response = self.client.post(
            "/manage/prg/people/jake-ferguson/", {"name": "Jake Ferguson", "role": "CEO"}
        )
        assert response.status_code == 302
