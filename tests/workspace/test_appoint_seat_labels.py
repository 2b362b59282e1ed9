"""The appointment form lists the seats, with their labels, of the terms of reference in force
on the appointment's first day, not today's."""

from __future__ import annotations

import datetime as dt

from django.test import Client, TestCase

from members.models import Appointment
from tests.world import add_terms, new_body_with_secretary, person

D = dt.date
URL = "/manage/new/members/appoint/"


class TwoVersions(TestCase):
    """A board whose chair's seat is named otherwise in its 2018 and 2019 versions."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.body, cls.secretary = new_body_with_secretary()
        add_terms(
            cls.body,
            "interim",
            D(2018, 1, 1),
            status="superseded",
            seats=[("chair", "Leader of the Council (Chair)", "chair", 1)],
        )
        add_terms(
            cls.body,
            "permanent",
            D(2019, 1, 1),
            seats=[("chair", "The Mayor (Chair)", "chair", 1), ("youth", "Youth", "community", 4)],
        )
        cls.person = person("lib-peck", "Lib Peck")

    def setUp(self) -> None:
        self.client = Client()
        self.client.force_login(self.secretary)


class AppointSeatLabelsTests(TwoVersions):
    def test_without_a_date_the_seats_are_those_in_force_today(self) -> None:
        page = self.client.get(URL).content.decode()
        assert "The Mayor (Chair) (chair)" in page and "Youth (youth)" in page
        assert "Leader of the Council" not in page

    def test_a_first_day_in_the_address_lists_the_seats_in_force_that_day(self) -> None:
        page = self.client.get(URL + "?start=2018-06-01").content.decode()
        assert "Leader of the Council (Chair) (chair)" in page
        assert "The Mayor (Chair)" not in page and "Youth (youth)" not in page
        assert "The seats of Terms interim, in force on 1 June 2018." in page

    def test_showing_the_seats_for_a_typed_date_keeps_the_typing_and_saves_nothing(self) -> None:
        data = {"person": str(self.person.pk), "start": "2018-06-01", "show_seats": "1"}
        page = self.client.post(URL, data).content.decode()
        assert "Leader of the Council (Chair) (chair)" in page
        assert "The Mayor (Chair)" not in page
        assert f'<option value="{self.person.pk}" selected>' in page
        assert "This field is required." not in page
        assert not Appointment.objects.exists()

    def test_a_seat_not_in_the_version_of_the_first_day_is_a_clear_error(self) -> None:
        data = {"person": str(self.person.pk), "start": "2018-06-01", "seat_key": "youth"}
        page = self.client.post(URL, data).content.decode()
        assert "&#x27;youth&#x27; is not a seat of Terms interim, in force on 1 June 2018" in page
        assert "Leader of the Council (Chair) (chair)" in page  # the list to choose again from
        assert not Appointment.objects.exists()

    def test_an_appointment_in_the_past_is_made_to_the_seat_of_that_day(self) -> None:
        data = {"person": str(self.person.pk), "start": "2018-06-01", "seat_key": "chair"}
        data |= {"role": "Leader of Lambeth Council", "honorific": "Cllr"}
        data["exception"] = "The chair is appointed before the community members are."
        response = self.client.post(URL, data)
        assert response.status_code == 302, response.context["form"].errors
        appt = Appointment.objects.get()
        assert (appt.seat_key, appt.start, appt.role) == ("chair", D(2018, 6, 1), data["role"])

    def test_before_any_version_the_form_says_none_is_in_force(self) -> None:
        page = self.client.get(URL + "?start=2017-06-01").content.decode()
        assert "No terms of reference are in force on 1 June 2017" in page
        data = {"person": str(self.person.pk), "start": "2017-06-01", "seat_key": "chair"}
        page = self.client.post(URL, data).content.decode()
        assert "so there is no seat to appoint to" in page
        assert not Appointment.objects.exists()

    def test_a_malformed_date_in_the_address_falls_back_to_today(self) -> None:
        page = self.client.get(URL + "?start=not-a-date").content.decode()
        assert "The Mayor (Chair) (chair)" in page

    def test_the_public_cannot_open_the_form(self) -> None:
        response = Client().get(URL)
        assert response.status_code in (302, 403, 404)
        assert "Leader of the Council" not in response.content.decode()


class AppointmentPagesSeatLabelTests(TwoVersions):
    """The appointment's own page and the person's page name the seat as the version in
    force on the appointment's first day did."""

    def appointments(self) -> tuple[Appointment, Appointment]:
        first = Appointment.objects.create(
            body=self.body,
            person=self.person,
            seat_key="chair",
            start=D(2018, 1, 1),
            end=D(2018, 12, 31),
            exception="The first appointment of the board.",
        )
        second = Appointment.objects.create(
            body=self.body, person=self.person, seat_key="chair", start=D(2019, 1, 1)
        )
        return first, second

    def test_the_appointment_page_names_the_seat_as_on_its_first_day(self) -> None:
        first, second = self.appointments()
        page = self.client.get(f"/manage/new/members/{first.pk}/end/").content.decode()
        assert "<h1>Lib Peck: Leader of the Council (Chair)</h1>" in page
        page = self.client.get(f"/manage/new/members/{second.pk}/end/").content.decode()
        assert "<h1>Lib Peck: The Mayor (Chair)</h1>" in page

    def test_the_persons_page_names_each_seat_as_on_that_appointments_first_day(self) -> None:
        self.appointments()
        page = self.client.get("/manage/new/people/lib-peck/").content.decode()
        assert "<li>Leader of the Council (Chair), from 1 Jan 2018 to 31 Dec 2018</li>" in page
        assert "<li>The Mayor (Chair), from 1 Jan 2019</li>" in page
