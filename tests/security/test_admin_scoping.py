"""A person shared by two bodies, and the admin's own bodies-only rules.

A person's contact details and register of interests are changed only by a secretary of
every body that has them on its records, by the person, or by a superuser: appointing
another body's partner to your own board stays allowed, but does not hand you their e-mail
address (members/people.py). Every path obeys: the services, the workspace, the partners'
portal and the admin. In the admin, a body's secretaries are a superuser's to change, and a
meeting's stage is changed only by the workspace's services.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse

from meetings.models import Meeting
from members import services
from members.models import Appointment, Interest, Person
from tests.security.test_permissions_admin import form_data
from tests.world import DemoWorld, appoint


class SharedPersonTests(DemoWorld, TestCase):
    """The outsider, board B's chair, is also appointed to board A by A's secretary."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()
        cls.secretary.is_staff = True
        cls.secretary.save()
        cls.shared = Person.objects.get(key="outsider-person")
        cls.shared.email = "outsider@b.example"
        cls.shared.save()
        appoint(cls.body, "outsider-person", "community", dt.date(2019, 6, 1), check=False)
        cls.interest = Interest.objects.create(person=cls.shared, description="Trustee of B")
        cls.own = Person.objects.get(key="jake-ferguson")  # on board A's records only

    def setUp(self) -> None:
        self.client.force_login(self.secretary)

    def assert_unchanged(self) -> None:
        self.shared.refresh_from_db()
        assert self.shared.email == "outsider@b.example"
        assert list(self.shared.interests.values_list("description", "ended_on")) == [
            ("Trustee of B", None)
        ]

    # The rule, in the services ------------------------------------------------------------

    def test_the_secretary_of_one_of_a_persons_bodies_may_not_change_their_address(self) -> None:
        self.shared.email = "amy@a.example"
        with pytest.raises(ValidationError) as refused:
            services.save_person(self.shared, by=self.secretary)
        assert "also on the records of Other Partnership Board" in str(refused.value)
        self.assert_unchanged()

    def test_nor_add_to_or_end_an_entry_of_their_register_of_interests(self) -> None:
        with pytest.raises(ValidationError):
            services.register_interest(self.shared, by=self.secretary, description="Invented")
        with pytest.raises(ValidationError):
            services.end_interest(self.interest, ended_on=dt.date.today(), by=self.secretary)
        self.assert_unchanged()

    def test_a_secretary_of_every_body_of_the_person_may_change_their_record(self) -> None:
        self.other.secretaries.add(self.secretary)
        self.shared.email = "chair@b.example"
        services.save_person(self.shared, by=self.secretary)
        services.end_interest(self.interest, ended_on=dt.date.today(), by=self.secretary)
        self.shared.refresh_from_db()
        assert self.shared.email == "chair@b.example"

    def test_a_secretary_may_change_a_person_only_on_their_own_bodys_records(self) -> None:
        self.own.email = "jake@hackney.example"
        services.save_person(self.own, by=self.secretary)
        assert Person.objects.get(pk=self.own.pk).email == "jake@hackney.example"

    def test_the_person_changes_their_own_register_in_the_partners_portal(self) -> None:
        self.client.force_login(self.outsider)
        response = self.client.post(
            "/partners/interests/",
            {
                "interest-category": "employment",
                "interest-description": "Director, B Trust",
                "interest-registered_on": "2019-01-01",
            },
        )
        assert response.status_code == 302
        assert self.shared.interests.filter(description="Director, B Trust").exists()

    # The workspace ------------------------------------------------------------------------

    def test_the_workspace_says_why_the_record_cannot_be_changed(self) -> None:
        page = self.client.get("/manage/prg/people/outsider-person/").content.decode()
        assert "is also on the records of another body" in page
        response = self.client.post(
            "/manage/prg/people/outsider-person/",
            {"name": "Outsider Person", "email": "amy@a.example"},
        )
        page = response.content.decode()
        assert response.status_code == 200
        assert "also on the records of Other Partnership Board" in page
        self.assert_unchanged()

    def test_the_workspace_refuses_a_new_interest_and_the_end_of_one(self) -> None:
        response = self.client.post(
            "/manage/prg/people/outsider-person/interests/",
            {"category": "gift", "description": "Invented", "registered_on": "2019-02-01"},
        )
        assert "also on the records of Other Partnership Board" in response.content.decode()
        response = self.client.post(
            f"/manage/prg/people/outsider-person/interests/{self.interest.pk}/end/",
            {"ended_on": "2019-03-01", "version": "0"},
        )
        assert "also on the records of Other Partnership Board" in response.content.decode()
        self.assert_unchanged()

    # The admin ----------------------------------------------------------------------------

    def test_the_admin_shows_the_shared_person_read_only_with_the_reason(self) -> None:
        url = reverse("admin:members_person_change", args=[self.shared.pk])
        page = self.client.get(url).content.decode()
        assert "also on the records of Other Partnership Board" in page
        assert 'name="email"' not in page
        response = self.client.post(url, {"name": "Outsider Person", "email": "amy@a.example"})
        assert response.status_code == 403
        self.assert_unchanged()

    def test_the_admin_refuses_an_interest_for_the_shared_person(self) -> None:
        response = self.client.post(
            reverse("admin:members_interest_add"),
            {
                "person": self.shared.pk,
                "category": "gift",
                "description": "Invented",
                "registered_on": "2019-02-01",
                "version": "0",
            },
        )
        assert "also on the records of Other Partnership Board" in response.content.decode()
        change = reverse("admin:members_interest_change", args=[self.interest.pk])
        response = self.client.post(change, {"person": self.shared.pk, "description": "Edited"})
        assert response.status_code == 403
        self.assert_unchanged()

    def test_the_admin_changes_a_person_on_the_secretarys_own_records(self) -> None:
        url = reverse("admin:members_person_change", args=[self.own.pk])
        data = {**form_data(self.client.get(url)), "email": "jake@hackney.example"}
        assert self.client.post(url, data).status_code == 302
        assert Person.objects.get(pk=self.own.pk).email == "jake@hackney.example"

    def test_appointing_another_bodys_partner_in_the_admin_stays_allowed(self) -> None:
        Appointment.objects.filter(body=self.body, person=self.shared).delete()
        found = self.client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": "members",
                "model_name": "appointment",
                "field_name": "person",
                "term": "Outsider",
            },
        ).json()
        assert [r["text"] for r in found["results"]] == ["Outsider Person"]
        response = self.client.post(
            reverse("admin:members_appointment_add"),
            {
                "body": self.body.pk,
                "person": self.shared.pk,
                "seat_key": "community",
                "start": "2019-06-01",
                "end": "",
                "exception": "",
            },
        )
        assert response.status_code == 302, response.content.decode()
        assert self.body.appointments.filter(person=self.shared).exists()


class AdminLifecycleTests(DemoWorld, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()
        cls.secretary.is_staff = True
        cls.secretary.save()
        cls.root = User.objects.create_superuser("root", "root@example.org", "pw-for-tests-1")

    def test_a_secretary_may_not_make_anyone_a_secretary_of_a_body(self) -> None:
        self.client.force_login(self.secretary)
        url = reverse("admin:members_body_change", args=[self.body.pk])
        response = self.client.get(url)
        data = form_data(response)
        assert "secretaries" not in data
        data["secretaries"] = [str(self.secretary.pk), str(self.other_secretary.pk)]
        assert self.client.post(url, data).status_code == 302
        assert list(self.body.secretaries.all()) == [self.secretary]

    def test_a_superuser_changes_a_bodys_secretaries(self) -> None:
        self.client.force_login(self.root)
        url = reverse("admin:members_body_change", args=[self.other.pk])
        data = form_data(self.client.get(url))
        data["secretaries"] = [str(self.other_secretary.pk), str(self.secretary.pk)]
        assert self.client.post(url, data).status_code == 302
        assert self.other.secretaries.filter(pk=self.secretary.pk).exists()

    def test_only_a_superuser_adds_a_body(self) -> None:
        self.client.force_login(self.secretary)
        assert self.client.get(reverse("admin:members_body_add")).status_code == 403

    def test_no_one_publishes_a_meeting_by_setting_its_status_in_the_admin(self) -> None:
        draft = Meeting.objects.get(body=self.body, status=Meeting.Status.DRAFT)
        url = reverse("admin:meetings_meeting_change", args=[draft.pk])
        for user in (self.secretary, self.root):
            self.client.force_login(user)
            page = self.client.get(url)
            data = form_data(page)
            assert "status" not in data and "Draft" in page.content.decode()
            data["status"] = Meeting.Status.AGENDA_PUBLISHED
            self.client.post(url, data)
            draft.refresh_from_db()
            assert draft.status == Meeting.Status.DRAFT
            assert draft.agenda_published_at is None
