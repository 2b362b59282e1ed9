"""The attendance grid: members present, remote, apologies or absent; substitutes and people
in attendance on the same form, several added at once by name; arrivals and departures by item
number, only where they differ from the whole meeting; the quorum panel per item."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from meetings.models import Attendance, Meeting
from meetings.services.attendance import (
    AttendanceChange,
    MemberRow,
    named,
    record_attendance,
    record_grid,
)
from members.models import Person
from tests.world import DemoWorld
from vru_governance.rules.quorum import QuorumError

MARCH = "/manage/prg/meetings/2019-03-06/attendance/"
JUNE = "/manage/prg/meetings/2019-06-12/attendance/"


def member_ids(meeting: Meeting) -> list[int]:
    return list(meeting.body.appointments_on(meeting.date).values_list("person_id", flat=True))


def states(meeting: Meeting, default: str = "present", **overrides: str) -> dict[str, str]:
    """Form data for every member row: a state each (overrides by person key), and the
    attendance's version as the page shows it now."""
    keys = dict(Person.objects.filter(pk__in=member_ids(meeting)).values_list("pk", "key"))
    version = Meeting.objects.get(pk=meeting.pk).attendance_version
    data = {"version": str(version)}
    for pk in member_ids(meeting):
        data[f"m{pk}-state"] = overrides.get(keys[pk].replace("-", "_"), default)
    return data


class AttendancePageTests(DemoWorld, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()
        cls.june = Meeting.objects.get(body=cls.body, key="2019-06-12")
        cls.march = Meeting.objects.get(body=cls.body, key="2019-03-06")

    def setUp(self) -> None:
        self.client = self.client_for(self.secretary)

    def test_every_member_with_an_active_appointment_has_a_row(self) -> None:
        page = self.client.get(JUNE).content.decode()
        assert page.count("data-person=") == 23
        assert 'data-person="jas-athwal"' in page and 'data-person="lib-peck"' not in page

    def test_marking_members_records_present_remote_apologies_and_absent(self) -> None:
        data = states(
            self.june, sadiq_khan="remote", yvonne_doyle="apologies", ben_lindsay="absent"
        )
        response = self.client.post(JUNE, data)
        assert response.status_code == 302
        records = {a.person.key: a for a in self.june.attendance.select_related("person")}
        assert records["sadiq-khan"].remote and records["sadiq-khan"].capacity == "member"
        assert records["yvonne-doyle"].capacity == "apologies"
        assert "ben-lindsay" not in records
        assert len(records) == 22
        # Marking a member absent again removes their record.
        self.client.post(JUNE, states(self.june, sadiq_khan="absent"))
        assert not self.june.attendance.filter(person__key="sadiq-khan").exists()

    def test_arrivals_and_departures_are_recorded_by_item(self) -> None:
        khan = Person.objects.get(key="sadiq-khan").pk
        data = states(self.june)
        data.update({f"m{khan}-from_item": "3", f"m{khan}-to_item": "Item 5"})
        self.client.post(JUNE, data)
        record = self.june.attendance.get(person_id=khan)
        assert (record.from_item.number, record.to_item.number) == ("3", "5")
        present = [i.present for i in self.june.quorum().items]
        assert present == [22, 22, 23, 23, 23, 22, 22]
        page = self.client.get(JUNE).content.decode()
        assert '<th scope="row">3</th><td>23</td><td>12</td>' in page

    def test_a_substitute_is_added_on_behalf_of_a_member_and_counts_in_their_place(
        self,
    ) -> None:
        data = states(self.june, yvonne_doyle="apologies")
        data.update({"n0-name": "vicky  HOBART", "n0-on_behalf_of": "Professor Yvonne Doyle"})
        response = self.client.post(JUNE, data)
        assert response.status_code == 302
        doyle = Person.objects.get(key="yvonne-doyle")
        record = self.june.attendance.get(person__key="vicky-hobart")
        assert record.capacity == "substitute" and record.on_behalf_of == doyle
        result = self.june.quorum()
        assert result.items[0].present == 23

    def test_several_people_in_attendance_are_added_at_once_new_ones_created(self) -> None:
        before = Person.objects.count()
        data = states(self.june)
        data.update(
            {
                "n0-name": "Mike Sheridan",
                "n0-role": "London Director, Ofsted",
                "n1-name": "Lynne Abrams",
                "n1-remote": "on",
                "n2-name": "Ada Newcomer",
                "n2-role": "Head of Research",
                "n2-from_item": "4",
            }
        )
        assert self.client.post(JUNE, data).status_code == 302
        records = {
            a.person.name: a
            for a in self.june.attendance.filter(capacity="in_attendance").select_related(
                "person", "from_item"
            )
        }
        assert set(records) == {"Mike Sheridan", "Lynne Abrams", "Ada Newcomer"}
        assert records["Lynne Abrams"].remote
        assert records["Ada Newcomer"].from_item.number == "4"
        assert records["Ada Newcomer"].person.role == "Head of Research"
        # Mike Sheridan and Lynne Abrams were found by name; only Ada Newcomer is new.
        assert Person.objects.count() == before + 1

    def test_a_recorded_attendee_is_changed_and_removed_on_the_grid(self) -> None:
        data = states(self.june, yvonne_doyle="apologies")
        data.update({"n0-name": "Vicky Hobart", "n0-on_behalf_of": "Professor Yvonne Doyle"})
        data.update({"n1-name": "Lynne Abrams"})
        self.client.post(JUNE, data)
        hobart = self.june.attendance.get(person__key="vicky-hobart")
        abrams = self.june.attendance.get(person__name="Lynne Abrams")
        data = states(self.june, yvonne_doyle="apologies")
        data.update(
            {
                f"o{hobart.pk}-on_behalf_of": "Professor Yvonne Doyle",
                f"o{hobart.pk}-remote": "on",
                f"o{hobart.pk}-to_item": "5",
                f"o{abrams.pk}-remove": "on",
            }
        )
        assert self.client.post(JUNE, data).status_code == 302
        hobart.refresh_from_db()
        assert hobart.remote and hobart.to_item.number == "5"
        assert not Attendance.objects.filter(pk=abrams.pk).exists()

    def test_the_grid_draws_few_options_and_no_query_per_row(self) -> None:
        def load() -> tuple[int, str]:
            with CaptureQueriesContext(connection) as ctx:
                page = self.client.get(JUNE).content.decode()
            return len(ctx.captured_queries), page

        few, page = load()
        # One list of item numbers, one of members, one of people seen before: never a select
        # of every item on every row, or of everyone on the system.
        assert page.count("<option") < 80, page.count("<option")
        assert "<select" not in page.split('id="member-attendance"')[1].split("</form>")[0]
        data = states(self.june, yvonne_doyle="apologies")
        data.update({"n0-name": "Vicky Hobart", "n0-on_behalf_of": "Professor Yvonne Doyle"})
        for n, name in enumerate(["Lynne Abrams", "Mike Sheridan", "New One", "New Two"], 1):
            data[f"n{n}-name"] = name
        self.client.post(JUNE, data)
        more, page = load()
        assert page.count("data-attendee=") == 5
        assert more == few

    def test_a_substitute_for_someone_who_is_not_a_member_is_refused_by_name(self) -> None:
        data = states(self.june)
        data.update({"n1-name": "Vicky Hobart", "n1-on_behalf_of": "Boris Johnson"})
        page = self.client.post(JUNE, data).content.decode()
        summary = page.split('id="error-summary"')[1].split("</div>")[0]
        assert (
            "New person 2: On behalf of (a member; blank: in attendance): Boris Johnson is not"
            in (summary)
        )
        assert not self.june.attendance.exists()  # nothing of the grid was saved

    def test_an_item_number_not_on_the_agenda_is_refused_naming_the_items(self) -> None:
        khan = Person.objects.get(key="sadiq-khan").pk
        data = {**states(self.june), f"m{khan}-from_item": "13"}
        page = self.client.post(JUNE, data).content.decode()
        assert "There is no item 13 on this agenda (its items are 1, 2, 3, 4, 5, 6, 7)." in page
        assert not self.june.attendance.exists()

    def test_a_name_shared_by_two_people_asks_for_the_role(self) -> None:
        Person.objects.create(key="lynne-abrams-2", name="Lynne Abrams", role="Architect")
        data = {**states(self.june), "n0-name": "Lynne Abrams"}
        page = self.client.post(JUNE, data).content.decode()
        assert "2 people are named Lynne Abrams" in page
        data["n0-role"] = "Architect"
        assert self.client.post(JUNE, data).status_code == 302
        assert self.june.attendance.get(person__name="Lynne Abrams").person.role == "Architect"

    def test_a_new_row_with_no_name_is_refused(self) -> None:
        data = {**states(self.june), "n0-on_behalf_of": "Professor Yvonne Doyle"}
        page = self.client.post(JUNE, data).content.decode()
        assert "New person 1: Name: Give the name of the person attending." in page

    def test_a_new_person_in_attendance_is_created_and_recorded(self) -> None:
        data = states(self.june)
        data.update({"n0-name": "Mike Sheridan2", "n0-role": "London Director, Ofsted"})
        self.client.post(JUNE, data)
        record = self.june.attendance.get(person__name="Mike Sheridan2")
        assert record.capacity == "in_attendance"
        assert record.person.role == "London Director, Ofsted"

    def test_the_grid_takes_a_chosen_person_as_a_correction_row_names_them(self) -> None:
        # One row type for the grid and the attendance correction: a person already chosen
        # is recorded as themselves, not looked up (or created) by name.
        namesake = Person.objects.create(key="namesake", name="Ada Chosen", role="Officer")
        Person.objects.create(key="namesake-2", name="Ada Chosen", role="Officer")
        before = Person.objects.count()
        record_grid(self.june, members=[], others=[AttendanceChange(person=namesake)])
        record = self.june.attendance.get()
        assert record.person == namesake and record.capacity == "in_attendance"
        assert Person.objects.count() == before

    def test_a_member_and_their_substitute_both_present_is_refused(self) -> None:
        data = states(self.june)
        data.update({"n0-name": "Vicky Hobart", "n0-on_behalf_of": "Professor Yvonne Doyle"})
        page = self.client.post(JUNE, data).content.decode()
        assert "are both recorded present" in page
        assert not self.june.attendance.exists()

    def test_a_locked_meeting_shows_its_attendance_as_text_with_a_correction_link(self) -> None:
        page = self.client.get(MARCH).content.decode()
        assert 'id="attendance-locked"' in page
        assert "recorded as a correction" in page
        assert 'id="member-attendance"' not in page and "<input" not in page.split("<main")[1]
        assert "Save attendance" not in page
        assert "Vicky Hobart" in page and "on behalf of Professor Yvonne Doyle" in page

    def test_the_quorum_panel_shows_the_6_march_meeting_quorate(self) -> None:
        page = self.client.get(MARCH).content.decode()
        assert "Quorate for every item" in page
        assert "(23 members; 12 needed)" in page
        assert 'data-item="8c" data-quorate="yes"' in page

    def test_removing_the_health_members_shows_the_health_group_missing(self) -> None:
        # The draft June meeting: the 6 March attendance is part of approved minutes.
        self.client.post(
            JUNE,
            states(
                self.june,
                sam_everington="absent",
                yvonne_doyle="apologies",
                joanne_murfitt="apologies",
                vin_diwakar="apologies",
                nicky_brownjohn="apologies",
                gabriel_amahwe="apologies",
            ),
        )
        page = self.client.get(JUNE).content.decode()
        assert "Not quorate for items 1, 2, 3" in page
        assert "Missing: Health representative" in page
        assert 'data-item="4" data-quorate="no"' in page

    def test_removing_a_substitute_takes_them_off_the_record(self) -> None:
        # At the draft June meeting: the 6 March attendance is part of approved minutes.
        hobart = Attendance.objects.create(
            meeting=self.june,
            person=Person.objects.get(key="vicky-hobart"),
            capacity=Attendance.Capacity.SUBSTITUTE,
            on_behalf_of=Person.objects.get(key="yvonne-doyle"),
        )
        version = Meeting.objects.get(pk=self.june.pk).attendance_version
        self.client.post(f"{JUNE}{hobart.pk}/remove/", {"version": version})
        assert not Attendance.objects.filter(pk=hobart.pk).exists()

    def test_members_cannot_be_removed_through_the_attendee_urls(self) -> None:
        khan = Attendance.objects.get(meeting=self.march, person__key="sadiq-khan")
        assert self.client.post(f"{MARCH}{khan.pk}/remove/").status_code == 404

    def test_a_member_row_error_is_summarised_at_the_top_naming_the_member(self) -> None:
        page = self.client.post(
            JUNE, states(self.june, sadiq_khan="asleep", ben_lindsay="apologies")
        ).content.decode()
        assert "There is a problem" in page
        assert (
            "Sadiq Khan: Attendance: Select a valid choice. asleep is not one of the available "
            "choices." in page
        )
        ben = Person.objects.get(key="ben-lindsay").pk
        assert (
            f'name="m{ben}-state" value="apologies" id="id_m{ben}-state_2" required checked' in page
        )
        assert not self.june.attendance.exists()

    def test_a_refused_attendance_is_summarised_at_the_top(self) -> None:
        khan = Person.objects.get(key="sadiq-khan").pk
        data = states(self.june)
        data.update({f"m{khan}-from_item": "5", f"m{khan}-to_item": "2"})
        page = self.client.post(JUNE, data).content.decode()
        summary = page.split('id="error-summary"')[1].split("</div>")[0]
        assert "Sadiq Khan: Left at item 2, before arriving at item 5." in summary

    def test_the_meeting_history_names_each_record_without_a_query_per_row(self) -> None:
        url = "/manage/prg/meetings/2019-06-12/history/"

        def count() -> int:
            with CaptureQueriesContext(connection) as ctx:
                self.client.get(url)
            return len(ctx.captured_queries)

        self.client.post(JUNE, states(self.june))
        few = count()
        khan = Person.objects.get(key="sadiq-khan").pk
        data = states(self.june, ben_lindsay="apologies")
        data.update({f"m{khan}-to_item": "5"})
        self.client.post(JUNE, data)
        assert count() == few  # more rows, no more queries
        page = self.client.get(url).content.decode()
        assert "attendance “Sadiq Khan (Member)” created" in page
        assert " as of " not in page  # not the historical row's own str()
        # A related record that changed is shown by name, not by its id.
        assert "<strong>to item</strong>: — → 5 Any other business" in page
        assert "<strong>capacity</strong>: Member → Apologies" in page

    def test_a_quorum_error_names_people_without_rewriting_other_numbers(self) -> None:
        # Person ids where one is the start of the other, as persons 1 and 12 are.
        free = Person.objects.order_by("-pk").first().pk + 1
        short = Person.objects.create(pk=free, key="short-id", name="Short Id")
        long = Person.objects.create(pk=free * 10 + 2, key="long-id", name="Long Id")
        exc = QuorumError(
            f"{long.pk} and their substitute {short.pk} are both recorded present for item "
            f"{short.pk}",
            people=(str(long.pk), str(short.pk)),
        )
        assert named(exc) == (
            f"{long.name} and their substitute {short.name} are both recorded present for "
            f"item {short.pk}"
        )

    def test_recording_someone_without_an_appointment_names_them_and_the_date(self) -> None:
        outsider = Person.objects.get(key="outsider-person")
        with pytest.raises(ValidationError) as refused:
            record_attendance(self.june, [MemberRow(person_id=outsider.pk, state="present")])
        assert refused.value.messages == [
            "Outsider Person has no active appointment on the meeting date (12 June 2019); "
            "reload the page to see the members on that day."
        ]


class ClerkOnTheDayTests(DemoWorld, TestCase):
    """The contact officer the minutes name is chosen on the attendance page."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()
        cls.june = Meeting.objects.get(body=cls.body, key="2019-06-12")
        cls.march = Meeting.objects.get(body=cls.body, key="2019-03-06")
        Person.objects.filter(name="Amy Gelsthorpe-Hill").update(user=cls.secretary)

    def setUp(self) -> None:
        self.client = self.client_for(self.secretary)

    def choose(self, person: Person | None, meeting: Meeting | None = None) -> str:
        meeting = meeting or self.june
        version = Meeting.objects.get(pk=meeting.pk).version
        response = self.client.post(
            f"/manage/prg/meetings/{meeting.key}/attendance/",
            {
                "contact": "",
                "contact-contact_officer": person.pk if person else "",
                "contact-version": version,
            },
        )
        return response.content.decode() if response.status_code != 302 else ""

    def test_the_choices_are_the_secretaries_and_the_officers_in_attendance(self) -> None:
        data = {**states(self.june), "n0-name": "Lynne Abrams"}
        self.client.post(JUNE, data)
        page = self.client.get(JUNE).content.decode()
        select = page.split('name="contact-contact_officer"')[1].split("</select>")[0]
        options = select.count("<option")
        assert options == 3, select  # the body's first secretary, Amy, Lynne Abrams
        assert "Amy Gelsthorpe-Hill" in select and "Lynne Abrams" in select

    def test_another_clerk_is_saved_and_named_by_the_minutes(self) -> None:
        abrams = Person.objects.get(name="Lynne Abrams")
        self.client.post(JUNE, {**states(self.june), "n0-name": "Lynne Abrams"})
        assert self.choose(abrams) == ""
        assert Meeting.objects.get(pk=self.june.pk).contact_officer == abrams
        assert self.choose(None) == ""  # back to the body's first secretary
        assert Meeting.objects.get(pk=self.june.pk).contact_officer is None

    def test_someone_neither_secretary_nor_in_attendance_is_refused(self) -> None:
        page = self.choose(Person.objects.get(key="outsider-person"))
        assert "Select a valid choice" in page
        assert Meeting.objects.get(pk=self.june.pk).contact_officer is None

    def test_the_clerk_of_approved_minutes_is_locked_and_shown_as_text(self) -> None:
        page = self.client.get(MARCH).content.decode()
        assert 'id="contact-officer">Clerk on the day' in page
        assert 'name="contact-contact_officer"' not in page
        page = self.choose(Person.objects.get(name="Amy Gelsthorpe-Hill"), self.march)
        assert "contact officer" in page and "locked" in page.lower()
        assert Meeting.objects.get(pk=self.march.pk).contact_officer_id != (
            Person.objects.get(name="Amy Gelsthorpe-Hill").pk
        )
