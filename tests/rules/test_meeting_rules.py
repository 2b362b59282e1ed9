"""Rules on meetings, attendance, outcomes and papers, computed from the records."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.test import TestCase

from meetings.lock_scope import recording_history
from meetings.models import AgendaItem, Attendance, Declaration, Meeting
from members.models import Appointment
from reports.models import Paper
from tests.world import D, full_roster, make_body, person

HEALTH = "Health representative"
POLICE = "Assistant Commissioner for Frontline Policing, MPS"


def make_meeting(body, date: dt.date = D(2019, 3, 6), key: str | None = None) -> Meeting:
    meeting = Meeting.objects.create(
        body=body,
        key=key or date.isoformat(),
        date=date,
        start_time=dt.time(14, 0),
        place="City Hall",
    )
    for position, number in enumerate(["1", "2", "3", "4", "8", "8a", "8b", "9"]):
        AgendaItem.objects.create(
            meeting=meeting, number=number, position=position, title=f"Item {number}"
        )
    return meeting


def attend(meeting: Meeting, key: str, capacity: str = "member", **extra) -> Attendance:
    row = Attendance(meeting=meeting, person=person(key), capacity=capacity, **extra)
    row.full_clean()
    row.save()
    return row


def item(meeting: Meeting, number: str) -> AgendaItem:
    return meeting.items.get(number=number)


class QuorumFromRecordsTests(TestCase):
    """25 members (quorum 13): 13 present including every required group is just quorate."""

    QUORATE_13 = [
        "chair-person",
        "police-person",
        "lc-1",
        "health-1",
        "community-1",
        "dm-si",
        "dm-ed",
        "education-person",
        "probation-person",
        "funders-person",
        "mopac-person",
        "gla-person",
        "community-2",
    ]

    @classmethod
    @recording_history()
    def setUpTestData(cls) -> None:
        cls.body, cls.terms = make_body()
        full_roster(cls.body)
        cls.meeting = make_meeting(cls.body)
        for key in cls.QUORATE_13:
            attend(cls.meeting, key)

    def quorum(self):
        # A fresh instance each time: a meeting caches its terms of reference.
        return Meeting.objects.get(pk=self.meeting.pk).quorum()

    def test_thirteen_of_twenty_five_with_every_group_is_quorate_at_every_item(self) -> None:
        result = self.quorum()
        assert (result.members, result.needed, result.present) == (25, 13, 13)
        assert result.quorate and result.lost_at() == ()

    def test_people_in_attendance_and_apologies_never_count(self) -> None:
        Attendance.objects.filter(person__key="community-2").delete()
        attend(self.meeting, "health-2", capacity="apologies")
        attend(self.meeting, "clerk", capacity="in_attendance")
        result = self.quorum()
        assert result.present == 12 and not result.quorate

    def test_a_departure_after_item_4_loses_quorum_from_item_8(self) -> None:
        row = Attendance.objects.get(person__key="health-1")
        row.to_item = item(self.meeting, "4")
        row.full_clean()
        row.save()
        result = self.quorum()
        assert result.lost_at() == ("8", "8a", "8b", "9")
        lost = {i.number: i for i in result.items}["8"]
        assert lost.present == 12 and lost.missing == (HEALTH,)

    def test_an_arrival_at_item_3_means_items_1_and_2_were_inquorate(self) -> None:
        row = Attendance.objects.get(person__key="community-2")
        row.from_item = item(self.meeting, "3")
        row.save()
        assert self.quorum().lost_at() == ("1", "2")

    def test_a_member_who_declared_and_withdrew_does_not_count_for_that_item(self) -> None:
        Declaration.objects.create(
            item=item(self.meeting, "8a"),
            person=person("community-1"),
            interest="Chief executive of a funded charity",
            withdrew=True,
        )
        result = self.quorum()
        lost = {i.number: i for i in result.items}["8a"]
        assert result.lost_at() == ("8a",)
        assert lost.present == 12

    def test_a_declaration_without_withdrawal_changes_nothing(self) -> None:
        Declaration.objects.create(
            item=item(self.meeting, "8a"),
            person=person("community-1"),
            interest="Trustee",
            withdrew=False,
        )
        assert self.quorum().quorate

    @recording_history()  # the rule under test, on records of the past
    def test_substitute_for_police_member_satisfies_group_only_when_allowed(self) -> None:
        Attendance.objects.filter(person__key="police-person").delete()
        attend(
            self.meeting,
            "police-deputy",
            capacity="substitute",
            on_behalf_of=person("police-person"),
        )
        assert self.quorum().quorate  # the interim ToR allows the police representative
        group = self.terms.quorum_groups.get(label=POLICE)
        group.representative_allowed = False
        group.save()
        result = self.quorum()
        assert result.missing == (POLICE,) and result.present == 13

    @recording_history()  # the rule under test, on records of the past
    def test_a_substitute_counts_in_the_headcount_only_when_the_terms_say_so(self) -> None:
        Attendance.objects.filter(person__key="gla-person").delete()
        attend(self.meeting, "gla-deputy", capacity="substitute", on_behalf_of=person("gla-person"))
        assert self.quorum().present == 13
        self.terms.substitutes_count = False
        self.terms.save()
        assert self.quorum().present == 12

    @recording_history()  # the rule under test, on records of the past
    def test_a_remote_member_counts_only_where_remote_participation_is_allowed(self) -> None:
        Attendance.objects.filter(person__key="lc-1").update(remote=True)
        assert self.quorum().quorate
        self.terms.remote_counts = False
        self.terms.save()
        result = self.quorum()
        assert not result.quorate
        assert "London Councils representative" in result.missing

    def test_recording_a_member_and_their_substitute_for_the_same_item_is_an_error(self) -> None:
        row = Attendance(
            meeting=self.meeting,
            person=person("health-1-deputy"),
            capacity="substitute",
            on_behalf_of=person("health-1"),
        )
        with pytest.raises(ValidationError) as exc:
            row.full_clean()
        assert (
            "Health 1 and their substitute Health 1 Deputy are both recorded present for "
            "item 1" in " ".join(exc.value.messages)
        )

    def test_a_substitute_may_arrive_after_the_member_left(self) -> None:
        row = Attendance.objects.get(person__key="health-1")
        row.to_item = item(self.meeting, "4")
        row.save()
        attend(
            self.meeting,
            "health-1-deputy",
            capacity="substitute",
            on_behalf_of=person("health-1"),
            from_item=item(self.meeting, "8"),
        )
        at_8 = {i.number: i for i in self.quorum().items}["8"]
        # The substitute keeps the headcount, but the health group takes no representative.
        assert at_8.present == 13 and at_8.missing == (HEALTH,)

    def test_a_substitute_must_stand_for_a_member_with_an_active_appointment(self) -> None:
        row = Attendance(
            meeting=self.meeting,
            person=person("someone"),
            capacity="substitute",
            on_behalf_of=person("not-a-member"),
        )
        with pytest.raises(ValidationError) as exc:
            row.full_clean()
        assert "is not a member of Board prg on 6 March 2019" in " ".join(exc.value.messages)

    def test_a_person_without_an_appointment_cannot_attend_as_a_member(self) -> None:
        row = Attendance(meeting=self.meeting, person=person("visitor"), capacity="member")
        with pytest.raises(ValidationError) as exc:
            row.full_clean()
        assert "has no active appointment" in " ".join(exc.value.messages)

    def test_leaving_before_arriving_is_refused(self) -> None:
        row = Attendance(
            meeting=self.meeting,
            person=person("health-2"),
            capacity="member",
            from_item=item(self.meeting, "8"),
            to_item=item(self.meeting, "2"),
        )
        with pytest.raises(ValidationError) as exc:
            row.full_clean()
        assert "Left at item 2, before arriving at item 8" in " ".join(exc.value.messages)

    def test_members_whose_appointment_ended_are_not_in_the_headcount(self) -> None:
        Appointment.objects.filter(person__key="health-3").update(end=D(2019, 3, 1))
        result = self.quorum()
        assert (result.members, result.needed) == (24, 12)


class OutcomeTests(TestCase):
    @classmethod
    @recording_history()
    def setUpTestData(cls) -> None:
        cls.body, _ = make_body()
        full_roster(cls.body)
        cls.meeting = make_meeting(cls.body)
        for key in QuorumFromRecordsTests.QUORATE_13:
            attend(cls.meeting, key)
        row = Attendance.objects.get(person__key="health-1")
        row.to_item = cls.meeting.items.get(number="4")
        row.save()

    def test_an_inquorate_item_cannot_record_agreed_and_the_error_names_the_figures(self) -> None:
        lost = item(self.meeting, "8")
        lost.outcome = "agreed"
        with pytest.raises(ValidationError) as exc:
            lost.full_clean()
        assert exc.value.message_dict["outcome"] == [
            "The meeting was not quorate for item 8: 12 present, 13 needed, and no one present "
            "for Health representative, so it cannot record 'Agreed by consensus'."
        ]

    def test_an_inquorate_item_cannot_be_agreed_with_reservations_either(self) -> None:
        lost = item(self.meeting, "8")
        lost.outcome = "agreed_with_reservations"
        with pytest.raises(ValidationError) as exc:
            lost.full_clean()
        assert exc.value.message_dict["outcome"][0].endswith(
            "so it cannot record 'Agreed with reservations'."
        )

    def test_an_inquorate_item_may_record_not_agreed(self) -> None:
        lost = item(self.meeting, "8")
        lost.outcome = "not_agreed"
        lost.full_clean()

    def test_an_inquorate_item_may_still_be_noted_or_deferred(self) -> None:
        lost = item(self.meeting, "8")
        for outcome in ("noted", "deferred"):
            lost.outcome = outcome
            lost.full_clean()

    def test_a_quorate_item_may_record_endorsed(self) -> None:
        fine = item(self.meeting, "4")
        fine.outcome = "endorsed"
        fine.full_clean()


class MeetingTests(TestCase):
    @classmethod
    @recording_history()
    def setUpTestData(cls) -> None:
        cls.body, _ = make_body()
        cls.first = make_meeting(cls.body, D(2019, 1, 22))

    def test_a_meeting_forty_three_days_after_the_last_is_flagged(self) -> None:
        meeting = make_meeting(self.body, D(2019, 3, 6))
        assert meeting.interval_flag() == (
            "43 days after the previous meeting (22 January 2019); the terms of reference set "
            "28 to 42 days."
        )

    def test_a_meeting_within_four_to_six_weeks_is_not_flagged(self) -> None:
        assert make_meeting(self.body, D(2019, 2, 26)).interval_flag() is None

    def test_a_meeting_too_soon_is_flagged(self) -> None:
        assert "14 days after" in make_meeting(self.body, D(2019, 2, 5)).interval_flag()

    def test_the_previous_meeting_is_the_later_of_two_on_the_last_earlier_day(self) -> None:
        morning = make_meeting(self.body, D(2019, 2, 26), key="morning")
        afternoon = make_meeting(self.body, D(2019, 2, 26), key="afternoon")
        Meeting.objects.filter(pk=morning.pk).update(start_time=dt.time(10, 0))
        Meeting.objects.filter(pk=afternoon.pk).update(start_time=dt.time(16, 0))
        Meeting.objects.create(
            body=self.body,
            key="cancelled",
            date=D(2019, 3, 1),
            start_time=dt.time(14),
            status=Meeting.Status.CANCELLED,
        )
        assert make_meeting(self.body, D(2019, 3, 6)).previous() == afternoon
        assert afternoon.previous() == self.first  # never one of the same day

    def test_a_meeting_with_no_terms_in_force_is_refused(self) -> None:
        meeting = Meeting(body=self.body, key="early", date=D(2018, 1, 1), start_time=dt.time(14))
        with pytest.raises(ValidationError) as exc:
            meeting.full_clean()
        assert "No terms of reference" in exc.value.message_dict["date"][0]

    def test_closing_before_starting_is_refused(self) -> None:
        self.first.end_time = dt.time(13, 0)
        with pytest.raises(ValidationError):
            self.first.full_clean()

    def test_item_numbers_are_whole_numbers_with_an_optional_letter(self) -> None:
        bad = AgendaItem(meeting=self.first, number="8.1", title="x")
        with pytest.raises(ValidationError):
            bad.full_clean()


class PaperRuleTests(TestCase):
    @classmethod
    @recording_history()
    def setUpTestData(cls) -> None:
        cls.body, _ = make_body()
        cls.item = make_meeting(cls.body).items.get(number="8")

    def paper(self, **fields) -> Paper:
        return Paper(item=self.item, key="p", title="A report", **fields)

    def test_a_paper_cannot_be_final_without_its_equality_comments(self) -> None:
        with pytest.raises(ValidationError) as exc:
            self.paper(final=True, executive_summary="Summary").full_clean()
        assert "ToR 8.1" in exc.value.message_dict["equality_comments"][0]
        self.paper(final=True, executive_summary="S", equality_comments="Considered.").full_clean()

    def test_an_uploaded_pdf_is_final_only_once_the_secretary_confirms_equality(self) -> None:
        paper = self.paper(final=True)
        paper.file.save("x.pdf", ContentFile(b"%PDF-1.4\n%%EOF"), save=False)
        with pytest.raises(ValidationError) as exc:
            paper.full_clean()
        assert "file_has_equality_comments" in exc.value.message_dict
        paper.file_has_equality_comments = True
        paper.full_clean()

    def test_an_exempt_paper_needs_section_reason_and_review_date(self) -> None:
        with pytest.raises(ValidationError) as exc:
            self.paper(classification="exempt").full_clean()
        assert set(exc.value.message_dict) >= {
            "exemption_section",
            "exemption_reason",
            "exemption_review_on",
        }
        self.paper(
            classification="exempt",
            exemption_section="s.43",
            exemption_reason="Commercial interests",
            exemption_review_on=D(2020, 5, 1),
        ).full_clean()

    def test_a_public_paper_carries_no_exemption(self) -> None:
        with pytest.raises(ValidationError) as exc:
            self.paper(exemption_section="s.43").full_clean()
        assert "classification" in exc.value.message_dict

    def test_a_paper_is_either_written_or_uploaded_not_both(self) -> None:
        paper = self.paper(executive_summary="Text")
        paper.file.save("x.pdf", ContentFile(b"%PDF-1.4\n%%EOF"), save=False)
        with pytest.raises(ValidationError) as exc:
            paper.full_clean()
        assert "either written by section or an uploaded PDF" in exc.value.message_dict["file"][0]
