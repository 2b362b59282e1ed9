"""The Django admin shows every record and enforces the rules with figures in its errors."""

from __future__ import annotations

import io

from django.contrib import admin
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from members.models import Appointment, Body, Person
from tests.demo import DEMO_FILE


class AdminTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        out = io.StringIO()
        call_command(
            "load_demo",
            str(DEMO_FILE),
            "--password",
            "pw-for-tests-1",
            "--no-documents",
            stdout=out,
        )
        cls.load_output = out.getvalue()
        cls.secretary = User.objects.get(username="secretary")

    def setUp(self) -> None:
        self.client.force_login(self.secretary)

    def test_load_demo_prints_the_sign_in_details_of_both_accounts(self) -> None:
        assert "secretary: secretary / pw-for-tests-1" in self.load_output
        assert "partner:   partner / pw-for-tests-1" in self.load_output
        assert Person.objects.get(key="jake-ferguson").user.username == "partner"
        assert Body.objects.get(slug="prg").secretaries.filter(username="secretary").exists()

    def test_the_secretary_sees_every_kind_of_record_in_the_admin(self) -> None:
        for model in admin.site._registry:
            if model._meta.app_label not in {"members", "meetings", "actions", "reports"}:
                continue
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
            response = self.client.get(url)
            assert response.status_code == 200, url

    def test_the_admin_lists_the_demo_meetings_and_appointments(self) -> None:
        page = self.client.get(reverse("admin:meetings_meeting_changelist")).content.decode()
        assert "6 March 2019" in page and "1 May 2019" in page
        page = self.client.get(reverse("admin:members_appointment_changelist")).content.decode()
        assert "Sadiq Khan" in page

    def test_a_fourth_health_appointment_is_refused_naming_the_figures(self) -> None:
        person = Person.objects.create(key="new-health", name="New Health")
        body = Body.objects.get(slug="prg")
        response = self.client.post(
            reverse("admin:members_appointment_add"),
            {
                "body": body.pk,
                "person": person.pk,
                "seat_key": "health",
                "start": "2019-06-01",
                "end": "",
                "exception": "Appointed by the Mayor",
            },
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert "has 3 places" in page and "this would be appointment 4 of 3" in page
        assert not Appointment.objects.filter(person=person).exists()

    def test_a_non_community_appointment_below_the_minimum_needs_a_reason(self) -> None:
        person = Person.objects.create(key="new-lc", name="New Councillor")
        body = Body.objects.get(slug="prg")
        data = {
            "body": body.pk,
            "person": person.pk,
            "seat_key": "london_councils",
            "start": "2019-06-01",
            "end": "",
            "exception": "",
        }
        response = self.client.post(reverse("admin:members_appointment_add"), data)
        page = response.content.decode()
        assert "3 of 24 members (13%)" in page
        assert "before it: 3 of 23, 13%" in page
        data["exception"] = "Nominated by London Councils before the community review."
        response = self.client.post(reverse("admin:members_appointment_add"), data)
        assert response.status_code == 302
        assert Appointment.objects.get(person=person).exception.startswith("Nominated")

    def test_the_change_history_of_an_appointment_is_recorded_with_its_author(self) -> None:
        appt = Appointment.objects.filter(person__key="jake-ferguson").get()
        url = reverse("admin:members_appointment_change", args=[appt.pk])
        form = {
            "body": appt.body_id,
            "person": appt.person_id,
            "seat_key": appt.seat_key,
            "start": appt.start.isoformat(),
            "end": "2020-07-31",
            "exception": appt.exception,
        }
        response = self.client.post(url, form)
        assert response.status_code == 302
        latest = appt.history.latest()
        assert latest.history_user == self.secretary
        assert str(latest.end) == "2020-07-31"
        history = self.client.get(reverse("admin:members_appointment_history", args=[appt.pk]))
        assert history.status_code == 200
        assert "secretary" in history.content.decode()
