"""Roles and honorifics as they were (held per appointment), the clerk on the day, corrected
appointments, and messages in plain words (far-future dates, one-letter reasons, constraints)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import TestCase

from meetings.models import Meeting
from members.models import Appointment, Interest
from members.services import correct_appointment
from reports.documents.agenda import partners
from reports.documents.records import contact_officer
from tests.world import D, appoint, full_roster, make_body, person
from vru_governance.records.exporter import export_records
from vru_governance.records.importer import import_records


class DatedRoleTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.body, _ = make_body(effective_from=D(2018, 1, 1))
        full_roster(cls.body, start=D(2018, 1, 1))
        cls.lib = person("lib-peck", "Lib Peck")
        cls.lib.role = "Director of the Violence Reduction Unit"
        cls.lib.save()
        # A London Councils member in 2018 as Leader of Lambeth Council, then ended.
        Appointment.objects.filter(person__key="lc-3").update(end=D(2018, 6, 30))
        cls.lambeth = appoint(cls.body, "lib-peck", "london-councils", D(2018, 7, 1), check=False)
        cls.lambeth.honorific, cls.lambeth.role = "Cllr", "Leader of Lambeth Council"
        cls.lambeth.end = D(2018, 12, 31)
        cls.lambeth.save()

    def meeting(self, day: dt.date, **extra: object) -> Meeting:
        return Meeting.objects.create(
            body=self.body, key=day.isoformat(), date=day, start_time=dt.time(10), **extra
        )

    def test_documents_print_the_role_and_honorific_held_on_their_date(self) -> None:
        in_2018 = partners(self.meeting(D(2018, 10, 3)))
        assert "Cllr Lib Peck, Leader of Lambeth Council" in in_2018
        in_2019 = self.meeting(D(2019, 5, 1), contact_officer=self.lib)
        assert not any("Lib Peck" in line for line in partners(in_2019))
        assert contact_officer(in_2019) == "Lib Peck, Director of the Violence Reduction Unit"

    def test_the_contact_officer_is_the_clerk_on_the_day_as_they_were_then(self) -> None:
        october = self.meeting(D(2018, 10, 3), contact_officer=self.lib)
        assert contact_officer(october) == "Cllr Lib Peck, Leader of Lambeth Council"

    def test_an_appointment_is_corrected_with_its_reason_in_the_history(self) -> None:
        with pytest.raises(ValidationError, match="why the appointment is corrected"):
            correct_appointment(
                self.lambeth, start=D(2018, 7, 2), end=None, honorific="", role="", reason="x"
            )
        correct_appointment(
            self.lambeth,
            start=D(2018, 7, 2),
            end=D(2018, 12, 31),
            honorific="Cllr",
            role="Leader of Lambeth Council",
            reason="Started the day after the council meeting.",
        )
        assert Appointment.objects.get(pk=self.lambeth.pk).start == D(2018, 7, 2)
        latest = Appointment.history.filter(id=self.lambeth.pk).first()
        assert latest.history_change_reason == (
            "Corrected: Started the day after the council meeting."
        )

    def test_a_far_future_date_is_questioned(self) -> None:
        far = dt.date.today().replace(year=dt.date.today().year + 70, day=1)
        appt = Appointment(
            body=self.body, person=person("newcomer"), seat_key="community", start=far
        )
        with pytest.raises(ValidationError, match="is the year right"):
            appt.full_clean()
        interest = Interest(person=self.lib, description="Trustee", registered_on=far)
        with pytest.raises(ValidationError, match="is the year right"):
            interest.full_clean()

    def test_a_one_letter_exception_reason_is_questioned(self) -> None:
        body, _ = make_body("fresh", effective_from=D(2019, 1, 1))
        appt = Appointment(
            body=body, person=person("mayor"), seat_key="chair", start=D(2019, 1, 2), exception="x"
        )
        with pytest.raises(ValidationError, match="'x' does not say why"):
            appt.full_clean()

    def test_constraint_names_never_reach_a_message(self) -> None:
        interest = Interest(person=self.lib, description="Trustee", registered_on=D(2019, 5, 1))
        interest.ended_on = D(2019, 4, 1)
        with pytest.raises(ValidationError) as refused:
            interest.full_clean()
        text = " ".join(refused.value.messages)
        assert "interest_ends_after_registration" not in text and "cannot end before" in text
        for constraint in Interest._meta.constraints + Appointment._meta.constraints:
            assert "%(name)s" not in str(constraint.violation_error_message)

    def test_roles_of_appointments_go_out_and_come_back_through_the_records_format(
        self,
    ) -> None:
        document = export_records(self.body.slug)
        body = document["bodies"][0]
        held = next(m for m in body["memberships"] if m["person"] == "lib-peck")
        assert (held["honorific"], held["role"]) == ("Cllr", "Leader of Lambeth Council")
        held["role"] = "Leader, Lambeth Council"
        import_records(document)
        assert Appointment.objects.get(pk=self.lambeth.pk).role == "Leader, Lambeth Council"
